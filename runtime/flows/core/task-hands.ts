import { ConflictError, ForbiddenError, ValidationError } from '../../errors'
import type { ApprovalTask, UserId } from '../approval-instance'
import { addHistory, type Draft, notify } from './draft'
import { modeOf } from './step-decision'
import { type Decider, settleStep } from './task-decide'
import { addTask, closeTask, isOpen, roundTasks, stepOf, taskById } from './tasks'
import { AlreadyDecidedError } from '../../errors'

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
  if (!task.delegatedFrom)
    throw new ConflictError('This task is not delegated', [
      { path: 'task', message: 'is not delegated to anyone' },
    ])
  if (by.actor !== task.delegatedFrom)
    throw new ForbiddenError('Only the owner who delegated the task may take it back')
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
    throw new ValidationError('Already a signer of this step', [
      { path: 'to', message: 'already holds a task of this step' },
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
  if (!fresh.length)
    throw new ValidationError('No new signer to add', [
      { path: 'users', message: 'every user is a signer of this step already' },
    ])
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
  if (!isOpen(task) || d.inst.status !== 'running')
    throw new AlreadyDecidedError(`Task '${taskId}' was decided already (${task.status})`)
  const tasks = roundTasks(d, task.step)
  const fellow = tasks.some(
    (t) => t.status === 'pending' && t.id !== task.id && t.assignee === by.actor,
  )
  if (!fellow && by.actor !== d.inst.submitter)
    throw new ForbiddenError('Only a signer of this step or the submitter may remove a signer')
  if (tasks.filter(isOpen).length <= 1) {
    throw new ValidationError('The last signer of a step cannot be removed', [
      { path: 'task', message: 'is the last open signer' },
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
    throw new ValidationError('Not an active user', [{ path, message: 'is not an active user' }])
  }
}
