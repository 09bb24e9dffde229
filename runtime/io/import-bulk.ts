import type { SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import type { Ctx } from '../context'
import { flowOf } from '../flows'
import { canAttempt, scopePredicate } from '../permissions'
import {
  feedsRollups,
  needsLookups,
  ruleParts,
  type EntityPlan,
  type RecordData,
  type StoredField,
} from '../records'
import { buildBulkDedupLocks, buildKeyProbe, uniqueRule } from './import-bulk-sql'
import { flushBulk, planCreate, planUpdate, type Planned } from './import-bulk-plan'
import { probeDedup, type AnsweredKey } from './import-bulk-dedup'
import type { BatchResult } from './import-jobs'
import type { UpsertKey } from './import-key'
import type { ImportRow } from './import-rows'

/** What the bulk path of one import needs, settled once per run. */
export interface BulkWriter {
  plan: EntityPlan
  key: UpsertKey | null
  /** The caller's import scope (what the key may find), null when unrestricted. */
  scope: SQL | null
  /** The columns a create writes (every stored field but auto-numbers). */
  insertFields: StoredField[]
  /** The unique fields, each as an exact blocking rule that takes no lock. */
  uniques: DedupRule[]
  /** Whether `planAhead` plans the next batch: the last batch was mostly creates. */
  ahead: boolean
}

/** Writes one row the per-row way (savepoint, create or update, its error recorded). */
export type WriteOne = (row: ImportRow) => Promise<void>

/**
 * The bulk writer for an import, or null when the entity or the caller needs something the
 * set-based statements do not do: child tables, roll-ups it feeds, references formulas or fills
 * read, a flow, per-period auto-numbers, a create, update or assign scope, a restricted read
 * scope on a referenced entity, or a missing create / update right (each row then answers it).
 */
export function bulkWriterOf(ctx: Ctx, plan: EntityPlan, key: UpsertKey | null): BulkWriter | null {
  const id = plan.entity.id
  if (plan.childTables.length || feedsRollups(plan) || needsLookups(plan)) return null
  if (flowOf(ctx.meta, id) || plan.autoNumbers.some((a) => !a.sequence)) return null
  if (!canAttempt(ctx, id, 'create') || (key && !canAttempt(ctx, id, 'update'))) return null
  for (const action of ['create', 'update', 'assign'] as const)
    if (scopePredicate(ctx, id, action)) return null
  for (const { field } of plan.stored)
    if (field.type === 'reference' && scopePredicate(ctx, field.entity!, 'read')) return null
  if (key && key.parts.some((p) => !p.stored)) return null
  if ((plan.entity.dedup ?? []).some((r) => r.fields.some((f) => !plan.storedByName.has(f))))
    return null
  return {
    plan,
    key,
    scope: scopePredicate(ctx, id, 'import'),
    insertFields: plan.stored.filter((s) => s.field.type !== 'autoNumber'),
    uniques: plan.stored.filter((s) => s.field.unique).map((s) => uniqueRule(s.field)),
    ahead: true,
  }
}

/** The create plans `planAhead` made, by row. */
const plannedAhead = new WeakMap<ImportRow, Planned>()

/**
 * Plans a batch's rows as creates before their turn, while the database is still writing the
 * batch before: a create's checks read nothing stored, so a row the key then finds no record for
 * takes this plan as it is, and a row it finds (an update) drops it. Rows with a problem or a
 * cell still to look up are left to their turn, and so is every row while the last batch was
 * mostly updates (the plans would be thrown away).
 */
export function planAhead(ctx: Ctx, bulk: BulkWriter, rows: ImportRow[]): void {
  if (!bulk.ahead) return
  for (const row of rows)
    if (!row.issues.length && !row.lookups.length)
      plannedAhead.set(row, planCreate(ctx, bulk, row, []))
}

/** A row as a create: the plan made ahead with the row's keys, else a new one. */
function toCreate(ctx: Ctx, bulk: BulkWriter, row: ImportRow, keys: string[]): Planned {
  const made = plannedAhead.get(row)
  return made ? { ...made, keys } : planCreate(ctx, bulk, row, keys)
}

/**
 * Writes a batch of rows whose cells converted (inside its transaction, `ctx.db`) so that nobody can tell it from the per-row
 * path: each row is planned in JavaScript with the create's and update's own checks, the upsert
 * keys and block rules are probed for the whole batch (under the rules' locks), and the rows
 * that are plainly a create or an update are written by a few set-based statements. Every other
 * row — refused by a check, finding two records, colliding with an earlier row of the file or
 * with a stored duplicate — goes through the per-row path at its place in the file, after the
 * rows before it are written, so it meets exactly the state it would have met there.
 */
export async function writeBulkBatch(
  ctx: Ctx,
  bulk: BulkWriter,
  rows: ImportRow[],
  result: BatchResult,
  writeOne: WriteOne,
): Promise<void> {
  const { planned, answered } = await planRows(ctx, bulk, rows)
  bulk.ahead = planned.filter((p) => p.kind === 'create').length * 2 >= planned.length
  const dedup = await probeDedup(ctx, bulk.plan, planned, answered)
  const claimed = new Set<string>()
  let pending: Planned[] = []
  for (const item of planned) {
    const { row } = item
    const keys = [...item.keys, ...(dedup.keys.get(row.number) ?? [])]
    const clash = keys.some((k) => claimed.has(k)) || dedup.blocked.has(row.number)
    for (const k of keys) claimed.add(k)
    if (item.kind === 'delegate' || clash) {
      await flushBulk(ctx, bulk, pending, result, writeOne)
      pending = []
      await writeOne(row)
    } else if (item.kind === 'noop') {
      result.updated++
    } else {
      pending.push(item)
    }
  }
  await flushBulk(ctx, bulk, pending, result, writeOne)
}

/**
 * Each row planned: refused for its cells, delegated, or a create / update / no-op; and the rows
 * whose key probe also answered their key rule's block check (see `probeKeys`).
 */
async function planRows(
  ctx: Ctx,
  bulk: BulkWriter,
  rows: ImportRow[],
): Promise<{ planned: Planned[]; answered: Map<number, AnsweredKey> }> {
  const answered = new Map<number, AnsweredKey>()
  const found = bulk.key ? await probeKeys(ctx, bulk, rows, answered) : null
  const planned = rows.map((row): Planned => {
    if (!found) return toCreate(ctx, bulk, row, [])
    const hit = found.get(row.number)
    if (hit === 'delegate') return { kind: 'delegate', row, keys: [] }
    const keys = hit ? [`key\u001f${hit.key}`] : []
    if (!hit || !hit.records.length) return toCreate(ctx, bulk, row, keys)
    if (hit.records.length > 1) return { kind: 'delegate', row, keys }
    return planUpdate(ctx, bulk, row, hit.records[0], keys)
  })
  return { planned, answered }
}

/**
 * The block rule whose locks the key probe may take first, so that the probe (a later
 * statement, which sees what an earlier holder committed) answers the rule's check as well:
 * the upsert key when it is the entity's first block rule (its locks come first in the rule
 * order every writer keeps) and the probe reads every record (no import scope hides one). Only
 * while the batches are mostly creates: an unchanged row takes no lock on the per-row path.
 */
function preLockedRule(bulk: BulkWriter): DedupRule | null {
  const rule = bulk.key?.rule
  if (!rule || bulk.scope || !bulk.ahead) return null
  return (bulk.plan.entity.dedup ?? []).find((r) => r.action === 'block') === rule ? rule : null
}

/** A row's key values as text, null when one is empty (then it creates), or 'delegate'. */
function keyValues(
  plan: EntityPlan,
  key: UpsertKey,
  input: RecordData,
): string[] | null | 'delegate' {
  if (key.rule) return ruleParts(plan, key.rule, input)?.map((p) => String(p.value)) ?? null
  const value = input[key.fields[0]]
  if (value === undefined || value === null) return null
  return typeof value === 'object' ? 'delegate' : [String(value)]
}

/**
 * For each row with a key: its key text and the (at most two) records it finds. When the key
 * is a block rule that may be locked first (`preLockedRule`), its locks are taken before the
 * probe, and `answered` gets each row whose probe found at most one record: what the rule's
 * check would answer for a record with the same key values.
 */
async function probeKeys(
  ctx: Ctx,
  bulk: BulkWriter,
  rows: ImportRow[],
  answered: Map<number, AnsweredKey>,
) {
  const { plan, key } = bulk
  const out = new Map<number, { key: string; records: RecordData[] } | 'delegate'>()
  const docs: { n: number; p: string[] }[] = []
  for (const row of rows) {
    const values = keyValues(plan, key!, row.input)
    if (values === 'delegate') out.set(row.number, values)
    else if (values) docs.push({ n: row.number, p: values })
  }
  if (!docs.length) return out
  const rule = preLockedRule(bulk)
  if (rule) {
    const locks = new Map([[rule, docs.map(({ n, p }) => ({ n, s: null, p }))]])
    await ctx.db.query(buildBulkDedupLocks(plan, locks))
  }
  const found = await ctx.db.query(buildKeyProbe(plan, key!.parts, bulk.scope, docs))
  for (const r of found) {
    const n = Number(r.__n)
    let hit = out.get(n) as { key: string; records: RecordData[] } | undefined
    if (!hit) out.set(n, (hit = { key: String(r.__k), records: [] }))
    if (r.id !== null && r.id !== undefined) hit.records.push(plan.toRecord(r))
  }
  if (rule)
    for (const { n, p } of docs) {
      const hit = out.get(n) as { key: string; records: RecordData[] }
      if (hit.records.length < 2)
        answered.set(n, {
          rule,
          values: p,
          key: hit.key,
          id: (hit.records[0]?.id as string) ?? null,
        })
    }
  return out
}
