import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { AlreadyDecidedError, ConflictError, ForbiddenError, ValidationError } from '../errors'
import { applyApprovalEvent, callerRefusalWords } from '../flows'
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
 * delegated it); 409 when its status forbids it. Worded in the caller's language, the step by
 * its label.
 */
async function assertMayAct(ctx: Ctx, task: TaskRow, action: TaskAction, me: string) {
  const w = callerRefusalWords(ctx, task.entity)
  const named = { step: w.step(task.step), status: w.status(task.status) }
  const status = [{ path: 'status', message: w.text('statusField', named) }]
  if (action === 'withdraw') {
    if (task.decidedBy !== me && task.assignee !== me)
      throw new ForbiddenError(w.text('onlyDecider'))
    if (!DECIDED.has(task.status)) throw new ConflictError(w.text('noDecision'), status)
    return
  }
  if (action === 'removeSigner') {
    // The task named is the signer removed: its step's other approvers may remove it.
    const mine = await ctx.db.query(sqlStepTask(task, me))
    if (!mine.length) throw new ForbiddenError(w.text('onlyStepSigner', named))
  } else if (task.assignee !== me && task.owner !== me) {
    // The owner of a task they delegated still holds it (owner ≠ assignee only while delegated).
    throw new ForbiddenError(w.text('notAssigned', named), [
      { path: 'id', message: w.text('notAssignedField') },
    ])
  }
  if (task.status === 'waiting')
    throw new ConflictError(w.text('notYourTurn', named), [
      { path: 'status', message: w.text('notYourTurnField') },
    ])
  if (task.status !== 'pending' || task.instanceStatus !== 'running')
    throw new AlreadyDecidedError(w.text('decided', named), status)
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
