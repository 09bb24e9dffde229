import type { Ctx } from '../context'
import { sql } from 'drizzle-orm'
import type { Issue } from '../errors'
import { scopePredicate } from '../permissions'
import type { EntityPlan, RecordData } from '../records'
import type { UpsertKey } from './import-key'
import { previewDuplicates } from './import-preview-dedup'
import { resolveLookups } from './import-lookups'
import type { ImportMapping } from './import-mapping'
import { recordGrouper, type SourceRecord } from './import-groups'
import { checkImportWrite, otherRowIssues } from './import-row-check'
import { issuesByRow, recordIssue, sourceRowsOf } from './import-row-issues'
import { applyLookups, lookupTexts, toImportRow, type ImportRow } from './import-rows'
import { setUpImport, type ImportFile, type ImportInput, type ImportSetup } from './import-setup'
import { readRows } from './import-source'

/** One previewed row: its number, the values it would write and what is wrong with it. */
export interface PreviewRow {
  number: number
  cells: string[]
  values: RecordData
  issues: Issue[]
  /** upsert: whether the key found a record to update. */
  action: 'insert' | 'update' | null
  /** A row that carries more lines of the record starting at this row number. */
  record?: number
}

/** What a file would do, before anything is written. */
export interface ImportPreview {
  headers: string[]
  mapping: ImportMapping
  totalRows: number
  failedRows: number
  /** The first `limit` rows. */
  rows: PreviewRow[]
  /** The first `limit` refused rows, wherever they are in the file. */
  errors: PreviewRow[]
}

const BATCH = 500

/**
 * Every row of the file converted and validated as the run would (types, options, references,
 * required fields, rules; upserting, as a patch of the record its key finds; inserting, against
 * the blocking de-duplication rules: a stored record or an earlier row) and judged by the
 * caller's scopes as the run judges them (the update scope, the 'assign' right, the scope the
 * written record must fall in), with the run's reasons; nothing written.
 * @example const { rows, errors } = await previewImport(ctx, 'customer', file, { key: 'name' })
 */
export async function previewImport(
  ctx: Ctx,
  entityId: string,
  file: ImportFile,
  input: ImportInput,
  limit = 20,
): Promise<ImportPreview> {
  const setup = await setUpImport(ctx, entityId, file, input)
  const out: ImportPreview = {
    headers: setup.headers,
    mapping: setup.options.mapping,
    totalRows: 0,
    failedRows: 0,
    rows: [],
    errors: [],
  }
  let batch: ImportRow[] = []
  const duplicates = previewDuplicates(ctx, setup.plan)
  const flush = async () => {
    for (const row of await checkBatch(ctx, setup, batch, duplicates)) {
      if (out.rows.length < limit) out.rows.push(row)
      if (!row.issues.length) continue
      out.failedRows++
      if (out.errors.length < limit) out.errors.push(row)
    }
    batch = []
  }
  const grouper = recordGrouper(setup.columns)
  const add = (record: SourceRecord | null) => {
    if (record)
      batch.push(toImportRow(setup.columns, record.head.number, record.head.cells, record.more))
  }
  let number = -1
  for await (const cells of readRows(file.path, setup.format)) {
    if (++number === 0) continue
    add(grouper.push({ number, cells }))
    if (batch.length >= BATCH) await flush()
  }
  add(grouper.end())
  await flush()
  out.totalRows = Math.max(number, 0)
  return out
}

async function checkBatch(
  ctx: Ctx,
  setup: ImportSetup,
  rows: ImportRow[],
  duplicates: ReturnType<typeof previewDuplicates>,
): Promise<PreviewRow[]> {
  const table = await resolveLookups(ctx, lookupTexts(rows))
  const out: PreviewRow[] = []
  for (const row of rows) {
    applyLookups(ctx, row, table)
    let action: PreviewRow['action']
    if (row.issues.length) {
      // A refused cell: the row's other problems too, as the run's error file names them.
      const other = await otherRowIssues(ctx, setup.plan, setup.key, row)
      row.issues.push(...other.issues)
      action = other.action
    } else action = await checkRow(ctx, setup, row, duplicates)
    out.push(...toPreviewRows(row, action))
  }
  return out
}

/**
 * What the run would refuse a row for, and whether it would insert or update: the write's checks
 * (`checkImportWrite`), then blocking duplicates and, for a unique key, a stored record with that
 * key that the import scope hides (the insert would collide with it).
 */
async function checkRow(
  ctx: Ctx,
  { plan, key }: ImportSetup,
  row: ImportRow,
  duplicates: ReturnType<typeof previewDuplicates>,
): Promise<PreviewRow['action']> {
  const { issues, action } = await checkImportWrite(ctx, plan, key, row.input)
  row.issues.push(...issues)
  if (action === 'update') return action
  // Upserting, a later row of the same key updates what an earlier one wrote: stored ones count.
  if (!row.issues.length) row.issues.push(...(await duplicates(row.number, row.input, !key)))
  if (!row.issues.length && key && !key.rule && (await isKeyTaken(ctx, plan, key, row.input)))
    row.issues.push({ path: key.fields[0], message: 'must be unique' })
  return action
}

/**
 * Whether a stored record the caller's import scope hides holds the unique key's value (without
 * a restricted import scope the key would have found it: no query).
 */
async function isKeyTaken(
  ctx: Ctx,
  plan: EntityPlan,
  key: UpsertKey,
  input: RecordData,
): Promise<boolean> {
  const predicate = key.predicate(input)
  if (!predicate || !scopePredicate(ctx, plan.entity.id, 'import')) return false
  const rows = await ctx.db.query(sql`select 1 from ${plan.table} where ${predicate} limit 1`)
  return rows.length > 0
}

/** A checked record as preview rows, one per file row, each with its own issues. */
function toPreviewRows(row: ImportRow, action: PreviewRow['action']): PreviewRow[] {
  if (!row.more?.length)
    return [{ number: row.number, cells: row.cells, values: row.input, issues: row.issues, action }]
  const byRow = issuesByRow(row, row.issues)
  return sourceRowsOf(row).map(({ number, cells }) => ({
    number,
    cells,
    values: number === row.number ? row.input : {},
    issues: row.issues.length ? (byRow.get(number) ?? [recordIssue(row, byRow)]) : [],
    action,
    ...(number === row.number ? {} : { record: row.number }),
  }))
}
