import type { Flow } from '../../../metadata/flow'
import { ConflictError, ForbiddenError } from '../../errors'
import type { ApprovalInstance, CoreContext, CoreResult, FlowEvent } from '../approval-instance'
import { buildDraft, type Draft } from './draft'
import { fire } from './fire'
import { transitionById } from './fire-checks'
import { recall, resubmit } from './lifecycle'
import { refusalWords } from './refusal-words'
import { approveTask, rejectTask } from './task-decide'
import { addSigner, delegateTask, reclaimTask, removeSigner, transferTask } from './task-hands'
import { returnTask, withdrawTask } from './going-back'
import { actionableTask } from './tasks'
import { timeoutTask } from './timeout'

/**
 * The flow core: from the definition, the record's running (or last) approval, one event and
 * the context, the record's next state, the instance's next value and the effects to run.
 * Pure: no I/O, the clock is `ctx.now`. Refusals throw runtime errors (422, 403, 404, 409).
 * @example runFlowEvent(flow, null, { type: 'fire', transition: 'submit', actor }, ctx).state
 */
export function runFlowEvent(
  flow: Flow,
  instance: ApprovalInstance | null,
  event: FlowEvent,
  ctx: CoreContext,
): CoreResult {
  if (event.type === 'fire') return fire(flow, instance, event, ctx)
  const w = refusalWords(flow, ctx)
  if (!instance) throw new ConflictError(w.text('noApproval'))
  const t = transitionById(flow, instance.transition, ctx)
  if (!t.approval)
    throw new ConflictError(w.text('noApprovalOn', { transition: w.transition(t.id) }))
  const d = buildDraft(flow, t, t.approval, instance, ctx)
  applyEvent(d, event)
  return { state: d.state, inputs: {}, instance: d.inst, effects: d.effects }
}

function applyEvent(d: Draft, event: Exclude<FlowEvent, { type: 'fire' }>): void {
  const by = { actor: event.actor, comment: event.comment }
  switch (event.type) {
    case 'recall':
      return recall(d, event.actor, event.comment)
    case 'resubmit':
      return resubmit(d, event.actor, event.comment)
    case 'timeout':
      return timeoutTask(d, event.task)
    case 'withdraw':
      return withdrawTask(d, event.task, event.actor, event.comment)
    case 'removeSigner':
      return removeSigner(d, event.task, by)
  }
  const task = actionableTask(d, event.task, event.actor)
  switch (event.type) {
    case 'approve':
      return approveTask(d, task, by)
    case 'reject':
      return rejectTask(d, task, by)
    case 'return':
      return returnTask(d, task, event.to, by)
    case 'delegate':
      return delegateTask(d, task, event.to, by)
    case 'reclaim':
      return reclaimTask(d, task, by)
    case 'transfer':
      return transferTask(d, task, event.to, by)
    case 'addSigner':
      return addSigner(d, task, event.users, by)
  }
  throw new ForbiddenError(refusalWords(d.flow, d.ctx).text('unknownEvent'))
}
