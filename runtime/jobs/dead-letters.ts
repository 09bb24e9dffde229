import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../db'
import { deadLetters } from '../db/platform-schema'
import { BadRequestError, ConflictError, NotFoundError } from '../errors'
import type { DeadJob, JobQueue } from './queue'

/** A job that failed every try, as operators see it. */
export interface DeadLetter {
  id: number
  name: string
  key: string
  data: unknown
  error: string
  attempts: number
  failedAt: string
  /** When an operator re-queued it; null while it is open. */
  retriedAt: string | null
}

/** Error texts longer than this are cut (a stack trace in a message can be huge). */
const MAX_ERROR_LENGTH = 10_000
const MAX_LIST = 1000

/**
 * Stores a job that failed its last try in `dead_letters` (the queues' `onDeadLetter`).
 * @example const queue = createQueue({ onDeadLetter: (job) => storeDeadLetter(db, job).then(() => {}) })
 */
export async function storeDeadLetter(db: Db, job: DeadJob): Promise<DeadLetter> {
  const [row] = await db.orm
    .insert(deadLetters)
    .values({
      name: job.name,
      key: job.key,
      data: job.data ?? null,
      error: job.error.slice(0, MAX_ERROR_LENGTH),
      attempts: job.attempts,
    })
    .returning()
  return toDeadLetter(row)
}

/**
 * Dead letters, newest first: the open ones, or every one with `includeRetried`.
 * @example const open = await listDeadLetters(db, { limit: 20 })
 */
export async function listDeadLetters(
  db: Db,
  options: { limit?: number; includeRetried?: boolean } = {},
): Promise<DeadLetter[]> {
  const limit = options.limit ?? 50
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST) {
    const message = `must be a whole number from 1 to ${MAX_LIST}`
    throw new BadRequestError(`Invalid limit: ${message}`, [{ path: 'limit', message }])
  }
  const rows = await db.orm
    .select()
    .from(deadLetters)
    .where(options.includeRetried ? undefined : isNull(deadLetters.retriedAt))
    .orderBy(desc(deadLetters.failedAt), desc(deadLetters.id))
    .limit(limit)
  return rows.map(toDeadLetter)
}

/**
 * Queues a dead letter's job again under a new key (its old key plus a retry count, so a second
 * retry of the same letter is a new job too) and marks the letter retried, in one transaction:
 * if the queue refuses the job (Redis away), the letter stays open. Throws `NotFoundError` for
 * an unknown id and `ConflictError` for a letter retried already.
 * @example const { retryKey } = await retryDeadLetter(db, queue, 42) // 'timer:7#retry1'
 */
export async function retryDeadLetter(
  db: Db,
  queue: JobQueue,
  id: number | string,
): Promise<DeadLetter & { retryKey: string }> {
  const letterId = toId(id)
  return db.transaction(async (tx) => {
    const [row] = await tx.orm
      .update(deadLetters)
      .set({ retriedAt: sql`now()` })
      .where(and(eq(deadLetters.id, letterId), isNull(deadLetters.retriedAt)))
      .returning()
    if (!row) {
      const [held] = await tx.orm.select().from(deadLetters).where(eq(deadLetters.id, letterId))
      if (!held) throw new NotFoundError(`No dead letter ${letterId}`)
      throw new ConflictError(`Dead letter ${letterId} was retried already`, [], {
        retriedAt: toDeadLetter(held).retriedAt,
      })
    }
    const key = toRetryKey(row.key)
    await queue.add({ name: row.name, key, data: row.data, attempts: row.attempts })
    return { ...toDeadLetter(row), retryKey: key }
  })
}

/** `timer:7` → `timer:7#retry1`, `timer:7#retry1` → `timer:7#retry2`. */
export function toRetryKey(key: string): string {
  const match = /^(.*)#retry(\d+)$/s.exec(key)
  return match ? `${match[1]}#retry${Number(match[2]) + 1}` : `${key}#retry1`
}

function toId(id: number | string): number {
  const n = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN
  if (!Number.isSafeInteger(n) || n < 1) {
    const message = 'must be a positive whole number'
    throw new BadRequestError(`Invalid dead letter id: ${message}`, [{ path: 'id', message }])
  }
  return n
}

function toDeadLetter(row: typeof deadLetters.$inferSelect): DeadLetter {
  return {
    id: Number(row.id),
    name: row.name,
    key: row.key,
    data: row.data,
    error: row.error,
    attempts: row.attempts,
    failedAt: new Date(row.failedAt).toISOString(),
    retriedAt: row.retriedAt === null ? null : new Date(row.retriedAt).toISOString(),
  }
}
