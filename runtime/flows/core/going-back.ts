import { ConflictError, ForbiddenError, ValidationError } from '../../errors'
import type { ApprovalTask, FlowEvent, UserId } from '../approval-instance'
import { isOnPathOf } from './approval-tree'
import { addHistory, type Draft, moveRecord, notify } from './draft'
import { end } from './outcome'
import { forgetFrom, rewindTo } from './rewind'
import { refusalWords } from './refusal-words'
import { modeOf } from './step-decision'
import { assertComment, type Decider } from './task-decide'
import { closeTask, currentRound, isOpen, onBehalfOf, openTask, stepById, taskById } from './tasks'

type ReturnTarget = Extract<FlowEvent, { type: 'return' }>['to']

/**
 * Returns a task (a comment is required): to the submitter (the request ends rejected and may
 * be resubmitted; the record goes back to the state it left), or to an earlier completed step
 * on the same path, which runs again in a new round.
 */
export function returnTask(d: Draft, task: ApprovalTask, to: ReturnTarget, by: Decider): void {
  assertComment(d, task, by.comment)
  const target = to === 'submitter' ? undefined : targetStep(d, task, to)
  closeTask(d, task, 'returned', { user: by.actor, comment: by.comment })
  addHistory(d, {
    action: 'return',
    by: by.actor,
    onBehalfOf: by.actor ? onBehalfOf(task, by.actor) : undefined,
    step: task.step,
    task: task.id,
    comment: by.comment,
  })
  if (target) return rewindTo(d, target)
  end(d, 'rejected')
  d.inst.rejectedStep = task.step
  moveRecord(d, d.approval.pending, d.inst.fromState, 'return')
  notify(d, [d.inst.submitter], 'returned')
}

function targetStep(d: Draft, task: ApprovalTask, to: Exclude<ReturnTarget, 'submitter'>): string {
  const earlier = d.inst.completed.filter(
    (s) => s !== task.step && isOnPathOf(d.approval, s, task.step),
  )
  const target = to === 'previous' ? earlier.at(-1) : to.step
  if (!target || !earlier.includes(target)) {
    const path = to === 'previous' ? 'to' : 'to.step'
    const w = refusalWords(d.flow, d.ctx)
    throw new ValidationError(w.text('noEarlierStep'), [
      { path, message: w.text('noEarlierStepField', { step: w.step(task.step) }) },
    ])
  }
  return target
}

/**
 * An approver takes back their approval while the next step has not acted: their task is
 * pending again and, if the step had completed, the steps after it are cancelled.
 */
export function withdrawTask(d: Draft, taskId: string, actor: UserId, comment?: string): void {
  const task = taskById(d, taskId)
  const w = refusalWords(d.flow, d.ctx)
  if (task.decidedBy !== actor || task.status !== 'approved') {
    throw new ForbiddenError(w.text('nothingToWithdraw', { step: w.step(task.step) }))
  }
  const live = d.inst.active.includes(task.step) || d.inst.completed.includes(task.step)
  if (d.inst.status !== 'running' || task.round !== currentRound(d, task.step) || !live) {
    throw new ConflictError(w.text('movedOn'))
  }
  if (!d.inst.active.includes(task.step)) reopenStep(d, task.step)
  reopenTask(d, task)
  addHistory(d, { action: 'withdraw', by: actor, step: task.step, task: task.id, comment })
}

function reopenTask(d: Draft, task: ApprovalTask): void {
  for (const key of ['decidedAt', 'decidedBy', 'comment'] as const) delete task[key]
  const step = stepById(d, task.step)
  if (modeOf(step) === 'sequence') {
    const round = d.inst.tasks.filter(
      (t) => t.step === task.step && t.round === task.round && t !== task,
    )
    // In turn: an earlier approver still to act keeps the turn; this one waits again.
    if (round.some((t) => isOpen(t) && t.order < task.order)) {
      task.status = 'waiting'
      return
    }
    for (const t of round.filter((t) => t.status === 'pending' && t.order > task.order)) {
      closeTask(d, t, 'cancelled')
      t.status = 'waiting'
    }
  }
  openTask(d, task)
}

/** Puts a completed step back to running, unless a step after it has had a person's decision. */
function reopenStep(d: Draft, stepId: string): void {
  const at = d.inst.completed.indexOf(stepId)
  const after = [...d.inst.active, ...d.inst.completed.slice(at + 1)].filter((s) =>
    isOnPathOf(d.approval, stepId, s),
  )
  const acted = d.inst.tasks.some(
    (t) =>
      after.includes(t.step) &&
      t.round === currentRound(d, t.step) &&
      !t.auto &&
      ['approved', 'rejected', 'returned'].includes(t.status),
  )
  if (acted) throw new ConflictError(refusalWords(d.flow, d.ctx).text('nextActed'))
  const round = currentRound(d, stepId)
  forgetFrom(d, stepId)
  d.inst.active.push(stepId)
  const inTurn = modeOf(stepById(d, stepId)) === 'sequence'
  for (const t of d.inst.tasks) {
    if (t.step === stepId && t.round === round && t.status === 'cancelled' && !t.decidedAt) {
      if (inTurn) t.status = 'waiting'
      else openTask(d, t)
    }
  }
}
