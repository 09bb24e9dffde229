import { randomUUID } from 'node:crypto'
import type { Flow } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx } from '../context'
import { userVars } from '../permissions'
import type { RecordData } from '../records'
import type { ApprovalInstance, CoreContext, FlowEvent, OrgView } from './approval-instance'
import { covers, orgNeeds, type OrgNeeds } from './org-needs'
import { loadOrgViewFor } from './org-view'

/** The organisation read ahead of the record (see `needsBeforeRecord`), with what it covers. */
export interface OrgReadAhead {
  needs: OrgNeeds
  org: OrgView
}

/**
 * The context the core reads for one event: now, the record, `$user`, and the part of the
 * organisation the event may ask about (one query, unless `ahead` read enough of it already).
 */
export async function coreContext(
  ctx: Ctx,
  flow: Flow,
  record: RecordData,
  instance: ApprovalInstance | null = null,
  event?: FlowEvent,
  ahead?: OrgReadAhead | null,
): Promise<CoreContext> {
  const user = ctx.user ?? SYSTEM_USER
  const needs = orgNeeds(flow, record, user.id, instance, event)
  return {
    now: ctx.clock.now(),
    record,
    user: { ...userVars(user), id: user.id },
    org: ahead && covers(ahead.needs, needs) ? ahead.org : await loadOrgViewFor(ctx, needs),
    newInstanceId: randomUUID(),
    flowVersion: flow.version ?? 1,
  }
}

/** The actor of an event: the caller (the system when there is none). */
export function actorOf(ctx: Ctx): string {
  return (ctx.user ?? SYSTEM_USER).id
}
