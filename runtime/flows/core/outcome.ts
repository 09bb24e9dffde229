import { addHistory, type Draft, moveRecord, notify } from './draft'
import { resolveSources } from './approvers'
import { cancelOpenTasks } from './tasks'

/** The approval passed: the record takes the transition's target and its effects run. */
export function finishApproved(d: Draft): void {
  end(d, 'approved')
  d.effects.push({ type: 'runTransitionEffects', transition: d.transition.id })
  moveRecord(d, d.approval.pending, d.transition.to, 'approve')
  notify(d, [d.inst.submitter], 'approved')
  notify(d, resolveSources(d, d.approval.cc ?? []), 'cc')
}

/** The approval was rejected at a step: the record takes the rejection state. */
export function finishRejected(d: Draft, stepId: string): void {
  end(d, 'rejected')
  d.inst.rejectedStep = stepId
  moveRecord(d, d.approval.pending, d.approval.rejected, 'reject')
  notify(d, [d.inst.submitter], 'rejected')
  notify(d, resolveSources(d, d.approval.cc ?? []), 'cc')
}

/** Closes the instance: every open task cancelled, nothing running. */
export function end(d: Draft, status: 'approved' | 'rejected' | 'recalled'): void {
  cancelOpenTasks(d)
  d.inst.status = status
  d.inst.active = []
  d.inst.endedAt = d.ctx.now.toISOString()
  if (status !== 'recalled') addHistory(d, { action: 'complete', by: null, comment: status })
}
