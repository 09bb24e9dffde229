import type { Context } from 'hono'
import type { Locale } from '../../metadata/labels'
import type { CurrentUser, Ctx } from '../../runtime/context'
import { administratorsOnly } from '../../runtime/identity'
import type { AppDeps, AppEnv } from '../app-deps'
import { requestLocale, shownLocale } from './request-locale'

/** The runtime context of one request: its caller, logger, request id and the live metadata. */
export async function requestCtx(c: Context<AppEnv>, deps: AppDeps): Promise<Ctx> {
  const requestId = c.get('requestId')
  return {
    db: deps.db,
    user: shownAs(c.get('user') ?? null, shownLocale(c)),
    clock: deps.clock,
    log: deps.log.child({ requestId }),
    meta: await deps.metadata.current(),
    requestId,
    files: deps.files,
  }
}

/**
 * The caller with the language the client shows: the workspace's switcher may differ from the
 * language saved on the user (which what Trellis sends them by mail or in app keeps following).
 */
function shownAs(user: CurrentUser | null, asked: Locale | undefined): CurrentUser | null {
  if (!user || !asked || asked === user.locale) return user
  return { ...user, locale: asked }
}

/** Throws 403 unless the caller is an administrator, in the caller's language. */
export function assertAdmin(c: Context<AppEnv>): void {
  if (!c.get('user')?.isAdmin) throw administratorsOnly(requestLocale(c))
}
