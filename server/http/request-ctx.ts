import type { Context } from 'hono'
import { LOCALES, type Locale } from '../../metadata/labels'
import type { CurrentUser, Ctx } from '../../runtime/context'
import { ForbiddenError } from '../../runtime/errors'
import type { AppDeps, AppEnv } from '../app-deps'
import { readHeader } from './read-header'

/** The header the workspace names its language in (labels in answers follow it). */
export const LOCALE_HEADER = 'x-trellis-locale'

/** The runtime context of one request: its caller, logger, request id and the live metadata. */
export async function requestCtx(c: Context<AppEnv>, deps: AppDeps): Promise<Ctx> {
  const requestId = c.get('requestId')
  return {
    db: deps.db,
    user: shownAs(c.get('user') ?? null, readHeader(c, LOCALE_HEADER)),
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
function shownAs(user: CurrentUser | null, asked: string | undefined): CurrentUser | null {
  if (!user || !asked || asked === user.locale) return user
  return (LOCALES as readonly string[]).includes(asked)
    ? { ...user, locale: asked as Locale }
    : user
}

/** Throws 403 unless the caller is an administrator. */
export function assertAdmin(c: Context<AppEnv>): void {
  if (!c.get('user')?.isAdmin) throw new ForbiddenError('Administrators only')
}
