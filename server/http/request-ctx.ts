import type { Context } from 'hono'
import type { Ctx } from '../../runtime/context'
import { ForbiddenError } from '../../runtime/errors'
import type { AppDeps, AppEnv } from '../app-deps'

/** The runtime context of one request: its caller, logger, request id and the live metadata. */
export async function requestCtx(c: Context<AppEnv>, deps: AppDeps): Promise<Ctx> {
  const requestId = c.get('requestId')
  return {
    db: deps.db,
    user: c.get('user') ?? null,
    clock: deps.clock,
    log: deps.log.child({ requestId }),
    meta: await deps.metadata.current(),
    requestId,
  }
}

/** Throws 403 unless the caller is an administrator. */
export function assertAdmin(c: Context<AppEnv>): void {
  if (!c.get('user')?.isAdmin) throw new ForbiddenError('Administrators only')
}
