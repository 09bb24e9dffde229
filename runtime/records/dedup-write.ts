import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Row } from '../db'
import { ConflictError, type Issue } from '../errors'
import type { Changes, WriteStamp } from './write-statements'
import { buildDedupLock, type DedupLockKey } from './dedup-lock'
import type { EntityPlan } from './entity-plan'
import {
  buildDuplicateQuery,
  rulePredicate,
  toDuplicateWarnings,
  type MatchRow,
} from './find-duplicates'
import { ROW_ALIAS } from './record-access'
import type { RecordData } from './record-data'
import { buildInsert } from './write-statements'

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
 * A create of a record that fills block rules, in one transaction sent at once (one round trip
 * on PostgreSQL): the rules' locks, the duplicate check, then the insert guarded by "no block
 * match". The insert is a later statement than the locks, so under READ COMMITTED its guard sees
 * every row an earlier holder committed; the guard, not the check, decides, and a blocked insert
 * writes nothing (not even an auto-number step). The check only names the match and the warnings.
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
  const blocking = (plan.entity.dedup ?? []).filter((r) => locks.some((l) => l.rule === r.id))
  const t = sql.identifier(ROW_ALIAS)
  const guard = sql.join(
    blocking.map(
      (rule) =>
        sql`not exists (select 1 from ${plan.table} ${t} where ${rulePredicate(plan, rule, record, ROW_ALIAS)})`,
    ),
    sql` and `,
  )
  const check = buildDuplicateQuery(ctx, plan, record, null)!
  const statements = [...locks.map((lock) => buildDedupLock(plan, lock)), check]
  const results = await ctx.db.atomic([
    ...statements,
    buildInsert(plan, stamp, record, changes, guard),
  ])
  const rows = results[statements.length]
  const matches = results[statements.length - 1] as unknown as MatchRow[]
  if (!rows.length) {
    // Throws for the block match the check named; a match gone between the two is still one.
    toDuplicateWarnings(ctx, plan, matches)
    throw new ConflictError('A record like this already exists', [
      { path: blocking[0].fields[0], message: 'duplicates an existing record' },
    ])
  }
  // Saved: a block match the check saw was gone by the insert (deleted in between).
  const rules = plan.entity.dedup ?? []
  const warned = matches.filter((m) => rules[m.rule]?.action !== 'block')
  return { rows, warnings: toDuplicateWarnings(ctx, plan, warned) }
}
