import { ConflictError, ForbiddenError, ValidationError } from '../../errors'
import type { ApprovalTask, UserId } from '../approval-instance'
import { addHistory, type Draft, notify } from './draft'
import { modeOf } from './step-decision'
import { type Decider, settleStep } from './task-decide'
import { refusalWords } from './refusal-words'
import { addTask, closeTask, decidedAlready, isOpen, roundTasks, stepOf, taskById } from './tasks'

/**
 * Delegates a task: the delegate acts on the owner's behalf; the owner keeps it (may still act
 * or delegate again) and the task stays theirs in the records.
 */
export function delegateTask(d: Draft, task: ApprovalTask, to: UserId, by: Decider): void {
  assertUser(d, to, 'to')
  task.assignee = to
  if (to === task.owner) delete task.delegatedFrom
  else task.delegatedFrom = task.owner
  addHistory(d, {
    action: 'delegate',
    by: by.actor,
    step: task.step,
    task: task.id,
    comment: by.comment,
    to: [to],
  })
  notify(d, [to], 'task', task.id)
}

/**
 * The owner takes back a task they delegated (pending: the delegate has not decided): it is
 * theirs to act on again and the delegate, told so, can no longer act on it. Only the delegating owner may
 * (403); a task that is not delegated has nothing to take back (409).
 */
export function reclaimTask(d: Draft, task: ApprovalTask, by: Decider): void {
  const w = refusalWords(d.flow, d.ctx)
  if (!task.delegatedFrom)
    throw new ConflictError(w.text('notDelegated'), [
      { path: 'task', message: w.text('notDelegatedField') },
    ])
  if (by.actor !== task.delegatedFrom) throw new ForbiddenError(w.text('onlyDelegator'))
  const delegate = task.assignee
  task.assignee = task.owner
  delete task.delegatedFrom
  addHistory(d, {
    action: 'reclaim',
    by: by.actor,
    step: task.step,
    task: task.id,
    comment: by.comment,
    from: [delegate],
  })
  notify(d, [delegate], 'reclaimed', task.id)
}

/** Transfers a task for good: the new owner acts in their own name; the first owner is kept. */
export function transferTask(d: Draft, task: ApprovalTask, to: UserId, by: Decider): void {
  assertUser(d, to, 'to')
  // One open task per owner and step (as for added signers): a second would count twice.
  if (roundTasks(d, task.step).some((t) => t !== task && isOpen(t) && t.owner === to)) {
    const w = refusalWords(d.flow, d.ctx)
    const named = { step: w.step(task.step) }
    throw new ValidationError(w.text('alreadySigner', named), [
      { path: 'to', message: w.text('alreadySignerField', named) },
    ])
  }
  task.originalOwner ??= task.owner
  task.owner = to
  task.assignee = to
  task.handover = 'transfer'
  delete task.delegatedFrom
  addHistory(d, {
    action: 'transfer',
    by: by.actor,
    step: task.step,
    task: task.id,
    comment: by.comment,
    to: [to],
  })
  notify(d, [to], 'task', task.id)
}

/** Adds signers to the live step: a task each (in turn: after the last one). */
export function addSigner(d: Draft, task: ApprovalTask, users: UserId[], by: Decider): void {
  const step = stepOf(d, task)
  const tasks = roundTasks(d, task.step)
  const fresh = [...new Set(users)].filter((u) => !tasks.some((t) => isOpen(t) && t.owner === u))
  users.forEach((u, i) => assertUser(d, u, `users[${i}]`))
  if (!fresh.length) {
    const w = refusalWords(d.flow, d.ctx)
    throw new ValidationError(w.text('noNewSigner'), [
      { path: 'users', message: w.text('noNewSignerField', { step: w.step(step.id) }) },
    ])
  }
  let order = Math.max(...tasks.map((t) => t.order)) + 1
  const inTurn = modeOf(step) === 'sequence'
  for (const user of fresh) {
    addTask(d, {
      step: step.id,
      round: task.round,
      assignee: user,
      owner: user,
      order: order++,
      status: inTurn ? 'waiting' : 'pending',
    })
  }
  addHistory(d, {
    action: 'addSigner',
    by: by.actor,
    step: step.id,
    task: task.id,
    comment: by.comment,
    to: fresh,
  })
}

/**
 * Removes a signer's open task from the live step; a fellow signer with a pending task or the
 * submitter may. The last open signer cannot be removed (422).
 */
export function removeSigner(d: Draft, taskId: string, by: Decider): void {
  const task = taskById(d, taskId)
  if (!isOpen(task) || d.inst.status !== 'running') throw decidedAlready(d, task)
  const tasks = roundTasks(d, task.step)
  const fellow = tasks.some(
    (t) => t.status === 'pending' && t.id !== task.id && t.assignee === by.actor,
  )
  const w = refusalWords(d.flow, d.ctx)
  const named = { step: w.step(task.step) }
  if (!fellow && by.actor !== d.inst.submitter)
    throw new ForbiddenError(w.text('onlyFellowSigner', named))
  if (tasks.filter(isOpen).length <= 1) {
    throw new ValidationError(w.text('lastSigner', named), [
      { path: 'task', message: w.text('lastSignerField') },
    ])
  }
  closeTask(d, task, 'cancelled', { user: by.actor, comment: by.comment })
  addHistory(d, {
    action: 'removeSigner',
    by: by.actor,
    step: task.step,
    task: task.id,
    comment: by.comment,
    to: [task.owner],
  })
  settleStep(d, task.step)
}

function assertUser(d: Draft, user: unknown, path: string): void {
  if (typeof user !== 'string' || !d.ctx.org.isActive(user)) {
    const w = refusalWords(d.flow, d.ctx)
    throw new ValidationError(w.text('notActiveUserTitle'), [
      { path, message: w.text('notActiveUser') },
    ])
  }
}
