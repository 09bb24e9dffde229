import { ConflictError, ForbiddenError } from '../../errors'
import type { UserId } from '../approval-instance'
import { addHistory, type Draft, moveRecord, notify } from './draft'
import { stateOf } from './fire-checks'
import { refusalWords } from './refusal-words'
import { runFrom } from './navigate'
import { end } from './outcome'
import { resumeAt } from './rewind'

/** The submitter takes back a running request: tasks cancelled, record back before submission. */
export function recall(d: Draft, actor: UserId, comment?: string): void {
  assertSubmitter(d, actor)
  if (d.inst.status !== 'running') {
    const w = refusalWords(d.flow, d.ctx)
    throw new ConflictError(w.text('approvalEnded', { status: w.status(d.inst.status) }))
  }
  const waiting = d.inst.tasks.filter((t) => t.status === 'pending').map((t) => t.assignee)
  end(d, 'recalled')
  addHistory(d, { action: 'recall', by: actor, comment })
  moveRecord(d, d.approval.pending, d.approval.recalled ?? d.inst.fromState, 'recall')
  notify(d, waiting, 'recalled')
}

/**
 * The submitter sends a rejected (or returned) request again: a new round from the first step,
 * or from the step that rejected when the approval says `resubmit: 'rejectedStep'`.
 */
export function resubmit(d: Draft, actor: UserId, comment?: string): void {
  assertSubmitter(d, actor)
  const state = stateOf(d.flow, d.ctx.record)
  if (d.inst.status !== 'rejected' || ![d.approval.rejected, d.inst.fromState].includes(state)) {
    throw new ConflictError(refusalWords(d.flow, d.ctx).text('notResubmittable'))
  }
  const from = d.approval.resubmit === 'rejectedStep' ? d.inst.rejectedStep : undefined
  Object.assign(d.inst, { status: 'running', snapshot: { ...d.ctx.record }, active: [] })
  delete d.inst.endedAt
  delete d.inst.rejectedStep
  addHistory(d, { action: 'resubmit', by: actor, comment })
  moveRecord(d, state, d.approval.pending, 'submit')
  if (from) return resumeAt(d, from)
  d.inst.completed = []
  d.inst.joined = []
  runFrom(d, { list: d.approval.steps, index: 0 })
}

function assertSubmitter(d: Draft, actor: UserId): void {
  if (actor !== d.inst.submitter)
    throw new ForbiddenError(refusalWords(d.flow, d.ctx).text('onlySubmitter'))
}
