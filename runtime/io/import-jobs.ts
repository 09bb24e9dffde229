import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Db } from '../db'
import { ConflictError, NotFoundError } from '../errors'
import { isUuid } from '../records/record-data'
import type { ImportMapping } from './import-mapping'

/** How a run was asked: insert every row, or update the record a key finds. */
export interface ImportRunOptions {
  mode: 'insert' | 'upsert'
  /** upsert: a de-duplication rule id or a unique field name. */
  key?: string
  mapping: ImportMapping
  /** With child columns: the header that groups rows into records (see import-groups.ts). */
  group?: string
  /** The file's header row, for the error file. */
  headers: string[]
}

/** An import run as the API shows it. */
export interface ImportJob {
  id: string
  entity: string
  userId: string
  fileName: string
  status: 'running' | 'done' | 'failed'
  rowsDone: number
  totalRows: number | null
  inserted: number
  updated: number
  failed: number
  error: string | null
  options: ImportRunOptions
}

/** What one committed batch adds to its job. */
export interface BatchResult {
  from: number
  to: number
  inserted: number
  updated: number
  errors: { number: number; cells: string[]; reason: string }[]
}

const COLUMNS = sql`id::text as id, entity, user_id::text as "userId", file_name as "fileName",
  status, rows_done as "rowsDone", total_rows as "totalRows", inserted, updated, failed, error, options`

/**
 * The caller's unfinished run of the same file with the same options (what a re-run after a
 * crash resumes), or a new one.
 */
export async function openImportJob(
  ctx: Ctx,
  entity: string,
  fileName: string,
  fingerprint: string,
  options: ImportRunOptions,
): Promise<ImportJob> {
  const userId = ctx.user!.id
  const [open] = await ctx.db.query<ImportJob>(
    sql`select ${COLUMNS} from import_jobs where user_id = ${userId} and entity = ${entity}
      and fingerprint = ${fingerprint} and status = 'running' order by created_at limit 1`,
  )
  if (open) return open
  const [job] = await ctx.db.query<ImportJob>(
    sql`insert into import_jobs (entity, user_id, file_name, fingerprint, options, created_at, updated_at)
      values (${entity}, ${userId}, ${fileName}, ${fingerprint}, ${JSON.stringify(options)}::jsonb,
        ${ctx.clock.now().toISOString()}, ${ctx.clock.now().toISOString()}) returning ${COLUMNS}`,
  )
  return job
}

/**
 * Inside a batch's transaction: stores its refused rows and moves the job's progress from
 * `from` to `to`. The move is conditional on the progress still being `from`: a second run of
 * the same job that got there first makes this one roll back (409) instead of writing twice.
 */
export async function commitBatch(db: Db, jobId: string, batch: BatchResult): Promise<void> {
  if (batch.errors.length) {
    const rows = batch.errors.map(
      (e) => sql`(${jobId}::uuid, ${e.number}, ${JSON.stringify(e.cells)}::jsonb, ${e.reason})`,
    )
    await db.query(
      sql`insert into import_errors (job_id, row_number, cells, reason) values ${sql.join(rows, sql`, `)}`,
    )
  }
  const moved = await db.query(
    sql`update import_jobs set rows_done = ${batch.to}, inserted = inserted + ${batch.inserted},
      updated = updated + ${batch.updated}, failed = failed + ${batch.errors.length}, updated_at = now()
      where id = ${jobId} and rows_done = ${batch.from} and status = 'running' returning id`,
  )
  if (!moved.length)
    throw new ConflictError('Another run of this import got there first', [
      { path: 'job', message: `rows ${batch.from + 1}–${batch.to} were already imported` },
    ])
}

/** Marks a run done (with its row count) or failed (with the reason). */
export async function finishImportJob(
  db: Db,
  jobId: string,
  outcome: { totalRows: number } | { error: string },
): Promise<void> {
  if ('error' in outcome)
    await db.query(
      sql`update import_jobs set status = 'failed', error = ${outcome.error}, updated_at = now()
        where id = ${jobId} and status = 'running'`,
    )
  else
    await db.query(
      sql`update import_jobs set status = 'done', total_rows = ${outcome.totalRows}, updated_at = now()
        where id = ${jobId} and status = 'running'`,
    )
}

/** A run of the caller's (any run, for an administrator); 404 otherwise. */
export async function getImportJob(ctx: Ctx, jobId: string): Promise<ImportJob> {
  const missing = new NotFoundError(`No import run '${jobId}'`, [
    { path: 'id', message: 'not found' },
  ])
  if (!isUuid(jobId)) throw missing
  const [job] = await ctx.db.query<ImportJob>(
    sql`select ${COLUMNS} from import_jobs where id = ${jobId}`,
  )
  if (!job || (!ctx.user?.isAdmin && job.userId !== ctx.user?.id)) throw missing
  return job
}

/** The refused rows of a run in row order, a page at a time. */
export async function* importErrorRows(
  ctx: Ctx,
  jobId: string,
): AsyncGenerator<{ number: number; cells: string[]; reason: string }> {
  let after = 0
  for (;;) {
    const rows = await ctx.db.query<{ number: number; cells: string[]; reason: string }>(
      sql`select row_number as number, cells, reason from import_errors
        where job_id = ${jobId} and row_number > ${after} order by row_number limit 1000`,
    )
    yield* rows
    if (rows.length < 1000) return
    after = rows[rows.length - 1].number
  }
}

/** The caller's saved mapping for an entity, or null. */
export async function loadImportMapping(ctx: Ctx, entity: string): Promise<ImportMapping | null> {
  if (!ctx.user) return null
  const [row] = await ctx.db.query<{ mapping: ImportMapping }>(
    sql`select mapping from import_mappings where entity = ${entity} and user_id = ${ctx.user.id}`,
  )
  return row?.mapping ?? null
}

/** Keeps a mapping for the caller's next import of the entity (merged over the saved one). */
export async function saveImportMapping(
  ctx: Ctx,
  entity: string,
  mapping: ImportMapping,
): Promise<void> {
  if (!ctx.user) return
  await ctx.db.query(
    sql`insert into import_mappings (entity, user_id, mapping, updated_at)
      values (${entity}, ${ctx.user.id}, ${JSON.stringify(mapping)}::jsonb, now())
      on conflict (entity, user_id) do update
      set mapping = import_mappings.mapping || excluded.mapping, updated_at = now()`,
  )
}
