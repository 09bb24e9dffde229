import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { BadRequestError } from '../errors'

/** What `runOnce` did: ran `fn` (and returns its value), or found the key already done. */
export type RunOnceResult<T> = { done: true; value: T } | { done: false }

/**
 * Runs an effect at most once per idempotency key: `key` goes into `job_effects` in the same
 * transaction as `fn`'s writes, so they commit together or not at all. When the key is there
 * already (a retried or re-delivered job), `fn` is skipped. Callers racing with one key wait on
 * the first; exactly one runs `fn` (if it fails, its key is rolled back and the next may run).
 * Effects outside the database (a mail, a webhook) belong after the commit, in their own job.
 * @example
 * await runOnce(db, `reminder:${timerId}`, 'timer', (tx) =>
 *   tx.query(sql`insert into notifications (user_id, title) values (${userId}, ${title})`))
 */
export async function runOnce<T>(
  db: Db,
  key: string,
  job: string,
  fn: (tx: Db) => Promise<T>,
): Promise<RunOnceResult<T>> {
  if (typeof key !== 'string' || key === '') {
    throw new BadRequestError('Invalid effect key', [
      { path: 'key', message: 'must be a non-empty string' },
    ])
  }
  return db.transaction(async (tx): Promise<RunOnceResult<T>> => {
    const claimed = await tx.query(
      sql`insert into job_effects (key, job) values (${key}, ${job})
          on conflict (key) do nothing returning key`,
    )
    if (claimed.length === 0) return { done: false }
    return { done: true, value: await fn(tx) }
  })
}
