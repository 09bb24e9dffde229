import type { Flow } from '../../../metadata/flow'
import type { ApprovalInstance, UserId } from '../approval-instance'
import { stateOf } from './fire-checks'

/** What a state's lock leaves a user: `editable: null` (no lock) or the only editable fields. */
export interface RecordLock {
  locked: boolean
  editable: string[] | null
}

/**
 * The lock the record's state puts on `userId`: none, the listed fields, or (for `by:
 * 'approver'`) the listed fields only for holders of a pending task, nothing for the others.
 * The state field itself is never in the list: only transitions move it.
 * @example recordLock(flow, { status: 'pending' }, instance, approverId) // { locked: true, editable: ['discount'] }
 */
export function recordLock(
  flow: Flow,
  record: Record<string, unknown>,
  instance: ApprovalInstance | null,
  userId: UserId,
): RecordLock {
  const lock = flow.states.find((s) => s.id === stateOf(flow, record))?.lock
  if (!lock) return { locked: false, editable: null }
  const editable = lock.editable.filter((f) => f !== flow.stateField)
  if (lock.by !== 'approver') return { locked: true, editable }
  const approver =
    instance?.status === 'running' &&
    instance.tasks.some((t) => t.status === 'pending' && t.assignee === userId)
  return { locked: true, editable: approver ? editable : [] }
}
