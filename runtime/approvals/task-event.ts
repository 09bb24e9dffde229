import { TASK_ACTIONS } from '../../metadata/flow'
import type { FlowEvent } from '../flows/approval-instance'
import { ValidationError } from '../errors'

/** The core events a task action becomes. */
export type TaskEvent = Exclude<FlowEvent, { type: 'fire' | 'recall' | 'resubmit' | 'timeout' }>

export { TASK_ACTIONS }
export type TaskAction = (typeof TASK_ACTIONS)[number]

/** The body of a task action, as the API receives it. */
export interface TaskActionInput {
  comment?: unknown
  /** delegate / transfer: a user id; return: 'previous' or 'submitter'. */
  to?: unknown
  /** addSigner: user ids. */
  users?: unknown
  /** return: the earlier step to return to. */
  step?: unknown
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_COMMENT = 2000

/** Whether `value` names a task action. */
export function isTaskAction(value: string): value is TaskAction {
  return (TASK_ACTIONS as readonly string[]).includes(value)
}

/** 422 naming `path`. */
function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`'${path}' ${message}`, [{ path, message }])
}

/**
 * The trimmed comment, or undefined. That a rejection or a return needs one is the core's to say:
 * it words the refusal in the caller's language and names the step.
 */
function toComment(value: unknown): string | undefined {
  if (value !== undefined && value !== null && typeof value !== 'string')
    throw invalid('comment', 'must be a string')
  const comment = typeof value === 'string' ? value.trim() : ''
  if (comment.length > MAX_COMMENT)
    throw invalid('comment', `must be at most ${MAX_COMMENT} characters`)
  return comment || undefined
}

function toUserId(path: string, value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid(path, 'must be a user id')
  return value.toLowerCase()
}

function toReturnTarget(input: TaskActionInput): 'previous' | 'submitter' | { step: string } {
  if (input.step !== undefined) {
    if (typeof input.step !== 'string' || !input.step) throw invalid('step', 'must be a step id')
    return { step: input.step }
  }
  if (input.to === undefined) return 'previous'
  if (input.to === 'previous' || input.to === 'submitter') return input.to
  throw invalid('to', "must be 'previous' or 'submitter' (or give 'step')")
}

/** The keys each action reads; any other key is refused, naming it. */
const KEYS: Record<TaskAction, string[]> = {
  approve: ['comment'],
  reject: ['comment'],
  return: ['comment', 'to', 'step'],
  delegate: ['comment', 'to'],
  reclaim: ['comment'],
  transfer: ['comment', 'to'],
  addSigner: ['comment', 'users'],
  removeSigner: ['comment'],
  withdraw: ['comment'],
}

/**
 * The core event of a task action, its input checked (422 naming the field). Pure.
 * @example toTaskEvent('reject', 't2', { comment: 'Too high' }, userId) // { type: 'reject', task: 't2', … }
 */
export function toTaskEvent(
  action: TaskAction,
  taskKey: string,
  input: TaskActionInput,
  actor: string,
): TaskEvent {
  const unknown = Object.keys(input).filter((k) => !KEYS[action].includes(k))
  if (unknown.length)
    throw invalid(unknown[0], `is not read by '${action}' (allowed: ${KEYS[action].join(', ')})`)
  const base = { actor, task: taskKey, comment: toComment(input.comment) }
  switch (action) {
    case 'return':
      return { ...base, type: 'return', to: toReturnTarget(input) }
    case 'delegate':
    case 'transfer': {
      const to = toUserId('to', input.to)
      if (to === actor) throw invalid('to', 'must be someone else')
      return { ...base, type: action, to }
    }
    case 'addSigner': {
      if (!Array.isArray(input.users) || !input.users.length || input.users.length > 50)
        throw invalid('users', 'must list 1 to 50 user ids')
      const users = input.users.map((u, i) => toUserId(`users[${i}]`, u))
      return { ...base, type: 'addSigner', users: [...new Set(users)] }
    }
    default:
      return { ...base, type: action }
  }
}

/** The user ids an event hands work to (checked to be active users before it is applied). */
export function usersNamedBy(event: FlowEvent): string[] {
  if (event.type === 'delegate' || event.type === 'transfer') return [event.to]
  if (event.type === 'addSigner') return event.users
  return []
}
