import type { ApprovalStep } from '../../../metadata/flow'
import { AlreadyDecidedError, ForbiddenError, NotFoundError } from '../../errors'
import type { ApprovalTask, TaskStatus, UserId } from '../approval-instance'
import { findStep } from './approval-tree'
import { type Draft, nowIso, notify } from './draft'
import { refusalWords } from './refusal-words'

/** Whether a task still waits for someone (pending now or waiting for its turn). */
export function isOpen(task: ApprovalTask): boolean {
  return task.status === 'pending' || task.status === 'waiting'
}

/** The current round's tasks of a step. */
export function roundTasks(d: Draft, step: string): ApprovalTask[] {
  const round = currentRound(d, step)
  return d.inst.tasks.filter((t) => t.step === step && t.round === round)
}

/** The latest round a step ran in (0: never). */
export function currentRound(d: Draft, step: string): number {
  return d.inst.tasks.reduce((max, t) => (t.step === step && t.round > max ? t.round : max), 0)
}

/** The step definition a task belongs to. */
export function stepOf(d: Draft, task: ApprovalTask): ApprovalStep {
  return stepById(d, task.step)
}

/** A step of the draft's approval by id (404: the flow has none). */
export function stepById(d: Draft, id: string): ApprovalStep {
  const step = findStep(d.approval, id)
  if (!step) throw new NotFoundError(refusalWords(d.flow, d.ctx).text('unknownStep', { id }))
  return step
}

type NewTask = Pick<ApprovalTask, 'step' | 'round' | 'assignee' | 'owner' | 'status' | 'order'> &
  Partial<ApprovalTask>

/** Adds a task; a pending one notifies its assignee and starts its timeout. */
export function addTask(d: Draft, fields: NewTask): ApprovalTask {
  d.inst.seq += 1
  const task: ApprovalTask = { id: `t${d.inst.seq}`, createdAt: nowIso(d), reminders: 0, ...fields }
  d.inst.tasks.push(task)
  if (task.status === 'pending') openTask(d, task)
  return task
}

/** Makes a task pending now: notifies the assignee, starts the step's timeout. */
export function openTask(d: Draft, task: ApprovalTask): void {
  task.status = 'pending'
  notify(d, [task.assignee], 'task', task.id)
  if (stepOf(d, task).timeout)
    d.effects.push({ type: 'scheduleTimeout', task: task.id, step: task.step })
}

/** Closes a task with a status; a pending one's timeout is cancelled. */
export function closeTask(
  d: Draft,
  task: ApprovalTask,
  status: Exclude<TaskStatus, 'pending' | 'waiting'>,
  by?: { user: UserId | null; comment?: string; auto?: ApprovalTask['auto'] },
): void {
  if (task.status === 'pending' && stepOf(d, task).timeout) {
    d.effects.push({ type: 'cancelTimeout', task: task.id })
  }
  task.status = status
  if (!by) return
  task.decidedAt = nowIso(d)
  if (by.user) task.decidedBy = by.user
  if (by.comment) task.comment = by.comment
  if (by.auto) task.auto = by.auto
}

/** Cancels every open task of the given steps (all steps when omitted). */
export function cancelOpenTasks(d: Draft, steps?: string[]): void {
  for (const task of d.inst.tasks) {
    if (isOpen(task) && (!steps || steps.includes(task.step))) closeTask(d, task, 'cancelled')
  }
}

/** The task an event names; refuses an unknown one (404). */
export function taskById(d: Draft, id: string): ApprovalTask {
  const task = d.inst.tasks.find((t) => t.id === id)
  if (!task) throw new NotFoundError(refusalWords(d.flow, d.ctx).text('unknownTask', { id }))
  return task
}

/** The named task, pending, and the actor may act on it: its assignee, or its owner while delegated. */
export function actionableTask(d: Draft, id: string, actor: UserId): ApprovalTask {
  const task = taskById(d, id)
  if (task.status !== 'pending' || d.inst.status !== 'running') throw decidedAlready(d, task)
  if (actor !== task.assignee && actor !== task.delegatedFrom) {
    const w = refusalWords(d.flow, d.ctx)
    throw new ForbiddenError(w.text('notYours', { step: w.step(task.step) }))
  }
  return task
}

/** 409: the task was decided (or its approval ended) before this event. */
export function decidedAlready(d: Draft, task: ApprovalTask): AlreadyDecidedError {
  const w = refusalWords(d.flow, d.ctx)
  const named = { step: w.step(task.step), status: w.status(task.status) }
  return new AlreadyDecidedError(w.text('decided', named))
}

/** On whose behalf the actor acts on a task (undefined: their own). */
export function onBehalfOf(task: ApprovalTask, actor: UserId): UserId | undefined {
  if (task.delegatedFrom && actor === task.assignee) return task.delegatedFrom
  if (task.handover === 'substitute' && task.originalOwner && actor !== task.originalOwner) {
    return task.originalOwner
  }
  return undefined
}
