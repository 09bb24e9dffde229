import type { Flow } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx } from '../context'
import { timeOrderedId } from '../db/time-ordered-id'
import { userVars } from '../permissions'
import type { RecordData } from '../records'
import type { CoreContext } from './approval-instance'
import { loadOrgView } from './org-view'

/**
 * The context the core reads for one event: now, the record, `$user`, and the organisation as
 * it is now (`orgVersion`: its version, read in the caller's transaction; see `loadOrgView`).
 */
export async function coreContext(
  ctx: Ctx,
  flow: Flow,
  record: RecordData,
  orgVersion?: number,
): Promise<CoreContext> {
  const user = ctx.user ?? SYSTEM_USER
  return {
    now: ctx.clock.now(),
    record,
    user: { ...userVars(user), id: user.id },
    org: await loadOrgView(ctx, orgVersion),
    newInstanceId: timeOrderedId(),
    flowVersion: flow.version ?? 1,
  }
}

/** The actor of an event: the caller (the system when there is none). */
export function actorOf(ctx: Ctx): string {
  return (ctx.user ?? SYSTEM_USER).id
}
