import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ConflictError, NotFoundError, TrellisError, type Issue } from '../errors'
import { createRecord, updateRecord, type EntityPlan } from '../records'
import {
  commitBatch,
  finishImportJob,
  getImportJob,
  openImportJob,
  saveImportMapping,
  type BatchResult,
  type ImportJob,
} from './import-jobs'
import { bulkWriterOf, planAhead, writeBulkBatch, type BulkWriter } from './import-bulk'
import { findByKey, unmatchedKeyIssue, type UpsertKey } from './import-key'
import { resolveLookups } from './import-lookups'
import { recordGrouper, type SourceRecord } from './import-groups'
import { applyLookups, lookupTexts, toImportRow, type ImportRow } from './import-rows'
import { lastRowOf, toRowErrors } from './import-row-issues'
import { otherRowIssues } from './import-row-check'
import {
  importFingerprint,
  setUpImport,
  type ImportFile,
  type ImportInput,
  type ImportSetup,
} from './import-setup'
import { readRows } from './import-source'

const DEFAULT_BATCH = 500
/** Rows per transaction on the bulk path: its default, and at most (one lock per key and row). */
const BULK_BATCH = 1000
const MAX_BULK_BATCH = 2000

/** Told after each committed batch (and once at the start, with what a resumed run skips). */
export type ImportListener = (job: ImportJob) => void

/**
 * Imports a CSV or XLSX file into an entity as the caller: every row goes through the same
 * create (or, upserting, update of the record the key finds) as the API, with its validation,
 * rules, de-duplication, scopes and audit. Rows are written in batches, one transaction each,
 * every row under a savepoint (a refused row leaves the others), and the job's progress moves
 * in the same transaction: run again with the same file and options after a crash, it resumes
 * after the last committed row and imports nothing twice. Refused rows are kept with their
 * reason for the error file.
 * @example await runImport(ctx, 'customer', { path, name: 'customers.csv' }, { key: 'name' })
 */
export async function runImport(
  ctx: Ctx,
  entityId: string,
  file: ImportFile,
  input: ImportInput,
  onBatch?: ImportListener,
): Promise<ImportJob> {
  return (await startImport(ctx, entityId, file, input, onBatch)).finished
}

/**
 * `runImport` in two steps, for callers that answer before the rows are written: the checks
 * and the job (new, or the unfinished one being resumed) first, then `finished`.
 */
export async function startImport(
  ctx: Ctx,
  entityId: string,
  file: ImportFile,
  input: ImportInput,
  onBatch?: ImportListener,
): Promise<{ job: ImportJob; finished: Promise<ImportJob> }> {
  const setup = await setUpImport(ctx, entityId, file, input)
  const fingerprint = await importFingerprint(file, entityId, setup.options)
  const job = await openImportJob(ctx, entityId, file.name, fingerprint, setup.options)
  if (input.mapping) await saveImportMapping(ctx, entityId, input.mapping)
  onBatch?.(job)
  // Records with lines go row by row: the set-based statements write no child tables.
  // So do upserts by an auto-number (the bulk probes compare the rules' and unique fields' keys).
  const byRow =
    input.writePath === 'rows' || setup.columns.children.length > 0 || !!setup.key?.autoNumber
  const bulk = byRow ? null : bulkWriterOf(ctx, setup.plan, setup.key)
  const given = Math.max(1, input.batchSize ?? (bulk ? BULK_BATCH : DEFAULT_BATCH))
  const size = bulk ? Math.min(given, MAX_BULK_BATCH) : given
  return { job, finished: writeRows(ctx, setup, bulk, file, job, size, onBatch) }
}

/** The rows after the job's progress, batch by batch; the job ends done or failed. */
async function writeRows(
  ctx: Ctx,
  setup: ImportSetup,
  bulk: BulkWriter | null,
  file: ImportFile,
  job: ImportJob,
  size: number,
  onBatch?: ImportListener,
): Promise<ImportJob> {
  let batch: ImportRow[] = []
  let rows = 0
  // The batch being written: the next one is read and converted meanwhile (while the database
  // works), and starts only once this one committed.
  let writing: Promise<void> | null = null
  const write = (records: ImportRow[]) => {
    const done = writeBatch(ctx, setup, bulk, job.id, records).then(async () => {
      onBatch?.(await getImportJob(ctx, job.id))
    })
    // Handled when awaited below; until then a failure must not count as unhandled.
    done.catch(() => {})
    return done
  }
  const grouper = recordGrouper(setup.columns)
  // Whether the batch is full once `record` joins it (a batch ends on a record's last row, so a
  // resumed run starts on a record's first).
  const add = ({ head, more }: SourceRecord) => {
    batch.push(toImportRow(setup.columns, head.number, head.cells, more))
    rows += 1 + more.length
    return rows >= size
  }
  let number = -1
  try {
    for await (const cells of readRows(file.path, setup.format)) {
      if (++number === 0 || number <= job.rowsDone) continue
      const record = grouper.push({ number, cells })
      if (!record || !add(record)) continue
      if (bulk && writing) planAhead(ctx, bulk, batch)
      await writing
      writing = write(batch)
      batch = []
      rows = 0
    }
    const last = grouper.end()
    if (last) add(last)
    await writing
    if (batch.length) await writeBatch(ctx, setup, bulk, job.id, batch)
    await finishImportJob(ctx.db, job.id, { totalRows: Math.max(number, 0) })
  } catch (err) {
    // Another run of the same job took over: the job is theirs to finish.
    if (!isTakenOver(err)) await finishImportJob(ctx.db, job.id, { error: (err as Error).message })
    throw err
  }
  const done = await getImportJob(ctx, job.id)
  onBatch?.(done)
  return done
}

/**
 * One batch in one transaction: lookups, then the rows (set-based with a bulk writer, else each
 * under a savepoint), then the progress.
 */
async function writeBatch(
  ctx: Ctx,
  { plan, key }: ImportSetup,
  bulk: BulkWriter | null,
  jobId: string,
  rows: ImportRow[],
): Promise<void> {
  const result: BatchResult = {
    from: rows[0].number - 1,
    to: lastRowOf(rows[rows.length - 1]),
    inserted: 0,
    updated: 0,
    errors: [],
  }
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx }
    // A deferred reference check would fail the whole batch at commit: here it fails its row.
    await tx.query(sql`set constraints all immediate`)
    const table = await resolveLookups(txCtx, lookupTexts(rows))
    const clean: ImportRow[] = []
    for (const row of rows) {
      applyLookups(txCtx, row, table)
      if (!row.issues.length) clean.push(row)
      else {
        // Its other problems too, so that one round of fixes to the error file suffices.
        const other = await otherRowIssues(txCtx, plan, key, row)
        result.errors.push(...toRowErrors(row, [...row.issues, ...other.issues]))
      }
    }
    const writeOne = async (row: ImportRow) => {
      try {
        result[await tx.savepoint((db) => writeRow({ ...ctx, db }, plan, key, row))]++
      } catch (err) {
        result.errors.push(...toRowErrors(row, rowIssues(ctx, err)))
      }
    }
    if (bulk) await writeBulkBatch(txCtx, bulk, clean, result, writeOne)
    else for (const row of clean) await writeOne(row)
    result.errors.sort((a, b) => a.number - b.number)
    await commitBatch(tx, jobId, result)
  })
}

/** Creates the row's record, or updates the one its key finds; which of the two happened. */
async function writeRow(
  ctx: Ctx,
  plan: EntityPlan,
  key: UpsertKey | null,
  row: ImportRow,
): Promise<'inserted' | 'updated'> {
  const entityId = plan.entity.id
  const found = key ? await findByKey(ctx, plan, key, row.input) : null
  if (found && found.length > 1)
    throw new ConflictError('The key matches several records', [
      { path: key!.fields[0], message: 'matches more than one record: not updated' },
    ])
  if (found?.length) {
    await updateRecord(ctx, entityId, found[0].id, row.input, found[0].version)
    return 'updated'
  }
  const unmatched = unmatchedKeyIssue(plan, key, row.input)
  if (unmatched) throw new NotFoundError('The key finds no record', [unmatched])
  await createRecord(ctx, entityId, row.input)
  return 'inserted'
}

/** A refused row's problems: a runtime error's issues; anything else is logged, not shown. */
function rowIssues(ctx: Ctx, err: unknown): Issue[] {
  if (err instanceof TrellisError && err.status < 500)
    return err.details.length ? err.details : [{ path: '', message: err.message }]
  ctx.log.error({ err, requestId: ctx.requestId }, 'import row failed')
  return [{ path: '', message: 'could not be saved' }]
}

/** The conflict `commitBatch` answers when a second run of the job committed those rows first. */
function isTakenOver(err: unknown): boolean {
  return err instanceof ConflictError && err.details[0]?.path === 'job'
}
