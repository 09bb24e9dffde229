import type { Ctx } from '../context'
import { TrellisError, ValidationError } from '../errors'
import { callerRefusalWords } from '../flows'
import { actOnTask } from './task-actions'

/** The outcome of one task of a bulk action. */
export type BulkTaskResult =
  | { id: string; ok: true; status: string }
  | { id: string; ok: false; status: number; code: string; message: string }

export interface BulkInput {
  action?: unknown
  tasks?: unknown
  comment?: unknown
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BULK_KEYS = ['action', 'tasks', 'comment']
export const MAX_BULK_TASKS = 100

/** The checked bulk request (422 naming the field, in the caller's language). */
function toBulk(
  ctx: Ctx,
  input: BulkInput,
): { action: 'approve' | 'reject'; ids: string[]; comment?: unknown } {
  const w = callerRefusalWords(ctx)
  const invalid = (path: string, message: string, title = w.text('badRequest')) =>
    new ValidationError(title, [{ path, message }])
  const unknown = Object.keys(input).find((k) => !BULK_KEYS.includes(k))
  if (unknown) {
    const message = w.text('unknownKey', { key: unknown, keys: BULK_KEYS.join(', ') })
    throw invalid(unknown, message, message)
  }
  if (input.action !== 'approve' && input.action !== 'reject')
    throw invalid('action', w.text('bulkAction'))
  const tasks = input.tasks
  if (!Array.isArray(tasks) || !tasks.length || tasks.length > MAX_BULK_TASKS)
    throw invalid('tasks', w.text('bulkTasks', { max: String(MAX_BULK_TASKS) }))
  tasks.forEach((id, i) => {
    if (typeof id !== 'string' || !UUID.test(id)) throw invalid(`tasks[${i}]`, w.text('taskId'))
  })
  if (input.action === 'reject' && (typeof input.comment !== 'string' || !input.comment.trim()))
    throw invalid('comment', w.text('commentRequired'), w.text('rejectNeedsComment'))
  const ids = [...new Set((tasks as string[]).map((id) => id.toLowerCase()))]
  return { action: input.action, ids, comment: input.comment }
}

/**
 * Approves or rejects many tasks, each on its own (its own transaction): one refused task leaves
 * the others to go through, and each answers its own result in the order given.
 * @example await bulkActOnTasks(ctx, { action: 'approve', tasks: [a, b, c] }) // [{ id: a, ok: true, … }, …]
 */
export async function bulkActOnTasks(ctx: Ctx, input: BulkInput): Promise<BulkTaskResult[]> {
  const { action, ids, comment } = toBulk(ctx, input)
  const body = comment === undefined ? {} : { comment }
  const results: BulkTaskResult[] = []
  for (const id of ids) {
    try {
      const done = await actOnTask(ctx, id, action, body)
      results.push({ id, ok: true, status: done.status })
    } catch (err) {
      if (!(err instanceof TrellisError) || err.status >= 500)
        ctx.log.error({ err, task: id }, 'bulk task action failed')
      const known = err instanceof TrellisError && err.status < 500
      results.push({
        id,
        ok: false,
        status: known ? err.status : 500,
        code: known ? err.code : 'internal',
        message: known ? err.message : 'Internal server error',
      })
    }
  }
  return results
}
