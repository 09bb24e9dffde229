import type { ApprovalTask, UserId } from '../approval-instance'
import { ValidationError } from '../../errors'
import { addHistory, type Draft } from './draft'
import { commentFault, commentIssues } from './fire-checks'
import { refusalWords } from './refusal-words'
import { stepApproved, stepRejected } from './navigate'
import { decideStep } from './step-decision'
import { closeTask, onBehalfOf, stepById } from './tasks'

/** Who decides and how: a person (with a comment), or the engine (`auto`). */
export interface Decider {
  actor: UserId | null
  comment?: string
  auto?: ApprovalTask['auto']
}

/** Approves a pending task, then lets its step decide. */
export function approveTask(d: Draft, task: ApprovalTask, by: Decider): void {
  record(d, task, 'approved', by)
  settleStep(d, task.step)
}

/** Rejects a pending task (a person must say why), then lets its step decide. */
export function rejectTask(d: Draft, task: ApprovalTask, by: Decider): void {
  if (!by.auto) assertComment(d, task, by.comment)
  record(d, task, 'rejected', by)
  settleStep(d, task.step)
}

/** A rejection or a return needs a comment (422 on `comment`, naming the task's step). */
export function assertComment(d: Draft, task: ApprovalTask, comment?: string): void {
  if (!commentFault('required', comment)) return
  const w = refusalWords(d.flow, d.ctx)
  const issues = commentIssues(w, 'required', comment)
  throw new ValidationError(w.text('sayWhy', { step: w.step(task.step) }), issues)
}

function record(d: Draft, task: ApprovalTask, status: 'approved' | 'rejected', by: Decider): void {
  closeTask(d, task, status, { user: by.actor, comment: by.comment, auto: by.auto })
  addHistory(d, {
    action: status === 'approved' ? 'approve' : 'reject',
    by: by.actor,
    onBehalfOf: by.actor ? onBehalfOf(task, by.actor) : task.owner,
    step: task.step,
    task: task.id,
    comment: by.comment,
  })
}

/** After a task changed: the step may now be approved (move on) or rejected (end). */
export function settleStep(d: Draft, stepId: string): void {
  const outcome = decideStep(d, stepById(d, stepId))
  if (outcome === 'approved') stepApproved(d, stepId)
  else if (outcome === 'rejected') stepRejected(d, stepId)
}
