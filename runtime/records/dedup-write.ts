import type { SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Row } from '../db'
import type { Issue } from '../errors'
import { buildDedupLock, type DedupLockKey } from './dedup-lock'
import type { EntityPlan } from './entity-plan'
import { buildDuplicateQuery, toDuplicateWarnings, type MatchRow } from './find-duplicates'
import type { RecordData } from './record-data'

/**
 * Inside the write's transaction (`ctx.db` is it): takes the record's block-rule locks, looks
 * for duplicates, and runs the write `statement`, in that order on the server. The three are
 * sent at once (pipelined, one round trip instead of three): each statement starts only after
 * the one before it finished, and under READ COMMITTED the check takes its snapshot after the
 * locks are held, so it sees every row an earlier holder committed. A duplicate throws after the
 * write ran, which rolls the transaction back: nothing is kept. Keys go in rule order, so two
 * writers never wait on each other crosswise.
 * @example await writeUnderDedupLocks({ ...ctx, db: tx }, plan, record, null, locks, insert)
 */
export async function writeUnderDedupLocks(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  selfId: string | null,
  locks: readonly DedupLockKey[],
  statement: SQL,
): Promise<{ rows: Row[]; warnings: Issue[] }> {
  const check = buildDuplicateQuery(ctx, plan, record, selfId)
  const sent = locks.map((lock) => ctx.db.query(buildDedupLock(plan, lock)))
  const matches = check ? ctx.db.query<MatchRow>(check) : Promise.resolve([])
  const written = ctx.db.query(statement)
  const [locked, found, wrote] = await Promise.allSettled([Promise.all(sent), matches, written])
  // The earliest failure is the cause; later statements only report the aborted transaction.
  if (locked.status === 'rejected') throw locked.reason
  if (found.status === 'rejected') throw found.reason
  const warnings = toDuplicateWarnings(ctx, plan, found.value)
  if (wrote.status === 'rejected') throw wrote.reason
  return { rows: wrote.value, warnings }
}
