import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { AlreadyDecidedError, ConflictError, ForbiddenError, ValidationError } from '../errors'
import { applyApprovalEvent } from '../flows'
import { assertReadable } from './record-reach'
import { toTaskEvent, usersNamedBy, type TaskAction, type TaskActionInput } from './task-event'
import { assertActiveUsers, callerId, loadTask, type TaskRow } from './task-row'

/** What a task action answers: the task's status after it, the approval's, the record's version. */
export interface TaskActionResult {
  taskId: string
  status: string
  approval: { id: string; status: string }
  record: { id: string; entity: string; version: number | null }
}

const DECIDED = new Set(['approved', 'rejected', 'returned'])

/**
 * 403 unless the caller may take `action` on the task (its assignee, or its owner while they have
 * delegated it); 409 when its status forbids it.
 */
async function assertMayAct(ctx: Ctx, task: TaskRow, action: TaskAction, me: string) {
  if (action === 'withdraw') {
    if (task.decidedBy !== me && task.assignee !== me)
      throw new ForbiddenError('Only the approver who decided may withdraw the decision')
    if (!DECIDED.has(task.status))
      throw new ConflictError('This task has no decision to withdraw', [
        { path: 'status', message: `the task is ${task.status}` },
      ])
    return
  }
  if (action === 'removeSigner') {
    // The task named is the signer removed: its step's other approvers may remove it.
    const mine = await ctx.db.query(sqlStepTask(task, me))
    if (!mine.length)
      throw new ForbiddenError('Only an approver of the same step may remove a signer')
  } else if (task.assignee !== me && task.owner !== me) {
    // The owner of a task they delegated still holds it (owner ≠ assignee only while delegated).
    throw new ForbiddenError('This task is not assigned to you', [
      { path: 'id', message: 'you are not its assignee' },
    ])
  }
  if (task.status === 'waiting')
    throw new ConflictError('It is not your turn on this step yet', [
      { path: 'status', message: 'waiting for earlier approvers' },
    ])
  if (task.status !== 'pending' || task.instanceStatus !== 'running')
    throw new AlreadyDecidedError('This task was already decided', [
      { path: 'status', message: `the task is ${task.status}` },
    ])
}

/**
 * A core refusal naming the fields of the body the caller sent: the core's return target
 * `to.step` is the body's `step`.
 */
function bodyPaths(err: unknown): unknown {
  if (!(err instanceof ValidationError) || !err.details.some((d) => d.path === 'to.step'))
    return err
  const details = err.details.map((d) => (d.path === 'to.step' ? { ...d, path: 'step' } : d))
  return new ValidationError(err.message, details)
}

/** The caller's own pending task in the same step as `task` (another one). */
function sqlStepTask(task: TaskRow, me: string) {
  return sql`select 1 from approval_tasks where instance_id = ${task.instanceId}::uuid
    and step = ${task.step} and assignee = ${me}::uuid and status = 'pending' and id <> ${task.id}::uuid`
}

/**
 * Takes `action` on a task as the caller: they must be its assignee or delegating owner (403) and able to read the
 * record (403); a decided task answers 409 ALREADY_DECIDED. The shell re-checks under its locks.
 * @example await actOnTask(ctx, taskId, 'reject', { comment: 'Over budget' })
 */
export async function actOnTask(
  ctx: Ctx,
  taskId: string,
  action: TaskAction,
  input: TaskActionInput,
): Promise<TaskActionResult> {
  const me = callerId(ctx)
  const task = await loadTask(ctx, taskId)
  const event = toTaskEvent(action, task.taskKey, input, me)
  await assertMayAct(ctx, task, action, me)
  await assertReadable(ctx, task.entity, task.recordId)
  const named = usersNamedBy(event)
  await assertActiveUsers(ctx, named, event.type === 'addSigner' ? 'users' : 'to')
  const { record, instance } = await applyApprovalEvent(ctx, task.instanceId, event).catch(
    (err: unknown) => {
      throw bodyPaths(err)
    },
  )
  const after = instance.tasks.find((t) => t.id === task.taskKey)
  const version = (record as { version?: unknown } | null)?.version
  return {
    taskId: task.id,
    status: after?.status ?? task.status,
    approval: { id: instance.id, status: instance.status },
    record: {
      id: task.recordId,
      entity: task.entity,
      version: typeof version === 'number' ? version : null,
    },
  }
}
