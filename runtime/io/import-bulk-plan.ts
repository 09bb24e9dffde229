import type { DedupRule } from '../../metadata/entity'
import type { Ctx } from '../context'
import {
  assertWritableInput,
  canUpdateInOneStatement,
  needsFieldCheck,
  prepareWrite,
  ruleParts,
  storedChanges,
  toChanges,
  withDefaultOwner,
  writeStamp,
  type Changes,
  type RecordData,
  type StoredField,
} from '../records'
import type { BulkWriter, WriteOne } from './import-bulk'
import { buildBulkInsert, buildBulkUpdate, toParamList } from './import-bulk-sql'
import type { BatchResult } from './import-jobs'
import type { ImportRow } from './import-rows'

/** The block rules (and unique fields) a written record is checked against, and the locks it takes. */
interface Guarded {
  checks: DedupRule[]
  locks: DedupRule[]
}

/** What the bulk path makes of one row; `keys` are the texts no later row of the file may share. */
export type Planned =
  | { kind: 'delegate'; row: ImportRow; keys: string[] }
  | { kind: 'noop'; row: ImportRow; keys: string[] }
  | ({
      kind: 'create'
      row: ImportRow
      keys: string[]
      record: RecordData
      changes: Changes
    } & Guarded)
  | ({
      kind: 'update'
      row: ImportRow
      keys: string[]
      id: string
      version: number
      record: RecordData
      fields: StoredField[]
      changes: Changes
    } & Guarded)

const blockRules = (w: BulkWriter) =>
  (w.plan.entity.dedup ?? []).filter((r) => r.action === 'block')

/**
 * A row as `createRecord` would write it: the field rules, the owner default and every check
 * of `prepareWrite`, then the block rules the record fills (checked and locked). Anything that
 * throws is left to the per-row path, which throws it again in its own words.
 */
export function planCreate(ctx: Ctx, w: BulkWriter, row: ImportRow, keys: string[]): Planned {
  try {
    assertWritableInput(ctx, w.plan, row.input, null)
    const input = withDefaultOwner(ctx, w.plan, row.input)
    const { record, changed } = prepareWrite(ctx, w.plan, input, null)
    const filled = blockRules(w).filter((rule) => ruleParts(w.plan, rule, record))
    const unique = w.uniques.filter((rule) => ruleParts(w.plan, rule, record))
    const changes = toChanges(changed, record, null)
    const checks = [...filled, ...unique]
    return { kind: 'create', row, keys, record, changes, checks, locks: filled }
  } catch {
    return { kind: 'delegate', row, keys }
  }
}

/**
 * A row as `updateRecord` would apply it to `old` (the record its key found, read in the
 * batch's transaction): an update the one-statement path would take is left to it; otherwise
 * the field rules over the stored record, `prepareWrite`, and nothing written when nothing
 * changed. A patch touching a de-duplication rule is checked against every block rule the
 * record fills and locks those it touches, as `applyUpdate` does.
 */
export function planUpdate(
  ctx: Ctx,
  w: BulkWriter,
  row: ImportRow,
  old: RecordData,
  keys: string[],
): Planned {
  const { plan } = w
  const id = old.id as string
  if (canUpdateInOneStatement(plan, id, row.input)) return { kind: 'delegate', row, keys }
  try {
    if (needsFieldCheck(ctx, plan, row.input)) assertWritableInput(ctx, plan, row.input, old)
    const { record, changed } = prepareWrite(ctx, plan, row.input, old)
    if (!changed.length) return { kind: 'noop', row, keys }
    const rules = plan.entity.dedup ?? []
    const touched = (r: DedupRule) => r.fields.some((f) => changed.includes(f))
    const filled = rules.some(touched)
      ? blockRules(w).filter((rule) => ruleParts(plan, rule, record))
      : []
    const fields = storedChanges(plan, changed)
      .map((name) => plan.storedByName.get(name)!)
      .filter((s) => s.field.type !== 'autoNumber')
    const changes = toChanges(changed, record, old)
    const version = old.version as number
    const locks = filled.filter(touched)
    return {
      kind: 'update',
      row,
      keys,
      id,
      version,
      record,
      fields,
      changes,
      checks: filled,
      locks,
    }
  } catch {
    return { kind: 'delegate', row, keys }
  }
}

/**
 * Writes the pending creates (one statement) and updates (one per set of changed fields) under a
 * savepoint. Should any statement fail or miss a row (a version moved, a unique value taken),
 * the savepoint is rolled back and each row goes the per-row way, which answers for it exactly.
 */
export async function flushBulk(
  ctx: Ctx,
  w: BulkWriter,
  pending: Planned[],
  result: BatchResult,
  writeOne: WriteOne,
): Promise<void> {
  if (!pending.length) return
  const { plan } = w
  const creates: { p: unknown[]; c: unknown }[] = []
  const updates = new Map<string, { fields: StoredField[]; docs: UpdateDoc[] }>()
  for (const item of pending) {
    if (item.kind === 'create') {
      creates.push({ p: toParamList(w.insertFields, item.record), c: item.changes })
    } else if (item.kind === 'update') {
      const shape = item.fields.map((s) => s.name).join(',')
      const group = updates.get(shape) ?? { fields: item.fields, docs: [] }
      group.docs.push({
        id: item.id,
        ver: item.version,
        p: toParamList(item.fields, item.record),
        c: item.changes,
      })
      updates.set(shape, group)
    }
  }
  try {
    await ctx.db.savepoint(async (db) => {
      const stamp = writeStamp(ctx, plan)
      const run = async (statement: ReturnType<typeof buildBulkInsert>, want: number) => {
        const [{ n }] = await db.query<{ n: number }>(statement)
        if (Number(n) !== want) throw new Error(`bulk write wrote ${n} of ${want} rows`)
      }
      if (creates.length)
        await run(buildBulkInsert(plan, w.insertFields, stamp, creates), creates.length)
      for (const { fields, docs } of updates.values())
        await run(buildBulkUpdate(plan, fields, stamp, docs), docs.length)
    })
  } catch (err) {
    ctx.log.debug({ err }, 'bulk import write fell back to rows')
    for (const item of pending) await writeOne(item.row)
    return
  }
  result.inserted += creates.length
  result.updated += pending.length - creates.length
}

interface UpdateDoc {
  id: string
  ver: number
  p: unknown[]
  c: unknown
}
