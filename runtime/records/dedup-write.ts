import type { SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Row } from '../db'
import { ConflictError, type Issue } from '../errors'
import type { Changes, WriteStamp } from './write-statements'
import { buildDedupGuard, buildDedupLock, type DedupLockKey } from './dedup-lock'
import type { EntityPlan } from './entity-plan'
import {
  buildDuplicateQuery,
  findDuplicates,
  toDuplicateWarnings,
  type MatchRow,
} from './find-duplicates'
import type { RecordData } from './record-data'
import { buildInsert, DEDUP_MATCHES_COLUMN } from './write-statements'

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

/**
 * A create of a record that fills block rules, as one statement (no explicit transaction, one
 * round trip on PostgreSQL): the guard (`buildDedupGuard`: the rules' locks, then a probe that
 * sees every row an earlier holder committed) decides before anything is written, and the
 * warning rules' check runs beside the insert. A blocked create writes nothing (not even an
 * auto-number step); the record it duplicates is then named from a fresh read, since the
 * statement's own snapshot predates the lock.
 * @example await insertUnderDedupLocks(ctx, plan, record, locks, stamp, changes)
 */
export async function insertUnderDedupLocks(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  locks: readonly DedupLockKey[],
  stamp: WriteStamp,
  changes: Changes,
): Promise<{ rows: Row[]; warnings: Issue[] }> {
  const guard = buildDedupGuard(plan, record, locks)
  const check = buildDuplicateQuery(ctx, plan, record, null, 'warn')
  const [row] = await ctx.db.query(buildInsert(plan, stamp, record, changes, { guard, check }))
  const matches = row[DEDUP_MATCHES_COLUMN] as MatchRow[]
  delete row[DEDUP_MATCHES_COLUMN]
  if (row.id === null) {
    // Throws 409 naming the block match; one deleted since the guard ran is still a duplicate.
    await findDuplicates(ctx, plan, record, null)
    const blocking = (plan.entity.dedup ?? []).find((r) => r.id === locks[0].rule)!
    throw new ConflictError('A record like this already exists', [
      { path: blocking.fields[0], message: 'duplicates an existing record' },
    ])
  }
  return { rows: [row], warnings: toDuplicateWarnings(ctx, plan, matches) }
}
