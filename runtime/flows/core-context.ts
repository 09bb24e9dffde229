import { randomUUID } from 'node:crypto'
import type { Flow } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx } from '../context'
import { userVars } from '../permissions'
import type { RecordData } from '../records'
import type { ApprovalInstance, CoreContext, FlowEvent } from './approval-instance'
import { orgNeeds } from './org-needs'
import { loadOrgViewFor } from './org-view'

/**
 * The context the core reads for one event: now, the record, `$user`, and the part of the
 * organisation the event may ask about (one query).
 */
export async function coreContext(
  ctx: Ctx,
  flow: Flow,
  record: RecordData,
  instance: ApprovalInstance | null = null,
  event?: FlowEvent,
): Promise<CoreContext> {
  const user = ctx.user ?? SYSTEM_USER
  return {
    now: ctx.clock.now(),
    record,
    user: { ...userVars(user), id: user.id },
    org: await loadOrgViewFor(ctx, orgNeeds(flow, record, user.id, instance, event)),
    newInstanceId: randomUUID(),
    flowVersion: flow.version ?? 1,
  }
}

/** The actor of an event: the caller (the system when there is none). */
export function actorOf(ctx: Ctx): string {
  return (ctx.user ?? SYSTEM_USER).id
}
