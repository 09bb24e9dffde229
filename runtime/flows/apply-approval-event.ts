import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { lockRecordForFlow, toCallerView, type RecordData } from '../records'
import type { ApprovalInstance, FlowEvent } from './approval-instance'
import { applyResult, forgetShared } from './apply-result'
import { runFlowEvent } from './core'
import { coreContext } from './core-context'
import { readOrgVersion } from './org-view'
import { flowAtVersion } from './flow-version'
import { lockInstance } from './instance-rows'

/**
 * Applies an approval event (a task action, recall, resubmit, timeout) in one transaction:
 * locks the instance row, then the record row (always in that order), runs the core on the flow
 * version the instance started on and writes what it answers. Under the instance lock a task
 * decided by someone else first is exact: the core answers 409 ALREADY_DECIDED.
 * Who may act is the core's to check (assignee, submitter); who may see it is the caller's.
 * @example await applyApprovalEvent(ctx, instanceId, { type: 'approve', task: 't1', actor: me })
 */
export async function applyApprovalEvent(
  ctx: Ctx,
  instanceId: string,
  event: FlowEvent,
): Promise<{ record: RecordData; instance: ApprovalInstance }> {
  if (event.type === 'fire')
    throw new BadRequestError('A transition is fired on the record, not on its approval', [
      { path: 'type', message: "must not be 'fire'" },
    ])
  const done = await ctx.db.transaction(async (db) => {
    const c: Ctx = { ...ctx, db }
    const [orgVersion, instance] = await Promise.all([
      readOrgVersion(c, { planOnce: true }),
      lockInstance(c, instanceId),
    ])
    const flow = await flowAtVersion(c, instance.flow, instance.flowVersion)
    const old = await lockRecordForFlow(c, instance.entity, instance.recordId)
    const context = await coreContext(c, flow, old, orgVersion)
    const result = runFlowEvent(flow, instance, event, context)
    const written = await applyResult(c, { flow, old, before: instance, result })
    return { ...written, instance: written.instance ?? instance }
  })
  forgetShared(done.firstShares)
  return { record: toCallerView(ctx, done.instance.entity, done.record), instance: done.instance }
}
