import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Db } from '../db'
import type { FileStore } from './file-store'

/** Uploads never attached are kept this long (a day) before the sweep removes them. */
export const PENDING_FILE_MS = 24 * 60 * 60 * 1000

/**
 * Deletes the rows `deleting` picks and their bytes in one transaction: when the store refuses a
 * delete (unreachable, wrong credentials) the rows stay, and the next round tries them again.
 */
async function deleteRowsAndBytes(db: Db, store: FileStore, deleting: SQL): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ storage_key: string }>(deleting)
    for (const row of rows) await store.delete(row.storage_key)
    return rows.length
  })
}

/**
 * Removes up to `limit` uploads no record write attached within `olderThanMs`: their rows and
 * their bytes. Safe in several processes at once (`skip locked`); answers how many went.
 * @example await sweepPendingFiles({ db, clock, log }, store)
 */
export async function sweepPendingFiles(
  ctx: Pick<Ctx, 'db' | 'clock' | 'log'>,
  store: FileStore,
  options: { olderThanMs?: number; limit?: number } = {},
): Promise<number> {
  const before = new Date(+ctx.clock.now() - (options.olderThanMs ?? PENDING_FILE_MS))
  const count = await deleteRowsAndBytes(
    ctx.db,
    store,
    sql`delete from files where id in (
        select id from files where record_id is null and created_at < ${before.toISOString()}::timestamptz
        order by created_at limit ${options.limit ?? 500} for update skip locked)
      returning storage_key`,
  )
  if (count) ctx.log.info({ files: count }, 'swept uploads never attached')
  return count
}

/**
 * Removes up to `limit` files of deleted records: their rows and their bytes. A record's
 * delete is known by its audit row (written in the delete's own statement, so a delete that
 * rolled back leaves none); child rows' files belong to their parent record and go with it.
 * Safe in several processes at once (`skip locked`); answers how many went.
 * @example await sweepDeletedRecordFiles({ db, clock, log }, store)
 */
export async function sweepDeletedRecordFiles(
  ctx: Pick<Ctx, 'db' | 'log'>,
  store: FileStore,
  options: { limit?: number } = {},
): Promise<number> {
  const count = await deleteRowsAndBytes(
    ctx.db,
    store,
    sql`delete from files where id in (
        select f.id from files f where f.record_id is not null and exists (
          select 1 from audit_log a
          where a.entity = f.entity and a.record_id = f.record_id and a.action = 'deleted')
        limit ${options.limit ?? 500} for update of f skip locked)
      returning storage_key`,
  )
  if (count) ctx.log.info({ files: count }, 'swept files of deleted records')
  return count
}

/**
 * Sweeps pending uploads and the files of deleted records every `everyMs` (default an hour)
 * until the returned stop is called; a failed round is logged and the next one tries again.
 */
export function startFileSweep(
  ctx: Pick<Ctx, 'db' | 'clock' | 'log'>,
  store: FileStore,
  everyMs = 60 * 60 * 1000,
): () => void {
  const timer = setInterval(() => {
    sweepPendingFiles(ctx, store)
      .then(() => sweepDeletedRecordFiles(ctx, store))
      .catch((err) => ctx.log.warn({ err }, 'sweeping uploads failed; trying again later'))
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
