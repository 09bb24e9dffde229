import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { canAttempt } from '../permissions'
import { entityPlan, lacksRight, type EntityPlan } from '../records'
import type { ImportRunOptions } from './import-jobs'
import { loadImportMapping } from './import-jobs'
import { toGroupColumns } from './import-groups'
import { toUpsertKey, type UpsertKey } from './import-key'
import { assertMapping, suggestMapping, type ImportMapping } from './import-mapping'
import { importWords, type ImportWords } from './import-refusal-texts'
import { toColumnPlan, type ColumnPlan } from './import-rows'
import { readRows, toImportFormat, type ImportFormat } from './import-source'

/** A file to import: where it is on disk and the name it was uploaded with. */
export interface ImportFile {
  path: string
  name: string
}

/** What the caller asks of an import; the mapping defaults to the saved or suggested one. */
export interface ImportInput {
  mode?: 'insert' | 'upsert'
  key?: string
  mapping?: ImportMapping
  /**
   * With child columns: the header whose cells say which record a row belongs to (consecutive
   * rows with the same text, or an empty cell, are one record). Default: the upsert key's
   * columns, else a row whose record cells are all empty continues the record above.
   */
  group?: string
  /** Rows per transaction (default 500). */
  batchSize?: number
  /**
   * `rows` writes every row through the API's own create and update (the bulk path's reference,
   * for tests and comparisons); by default an entity the bulk path can write goes set-based.
   */
  writePath?: 'bulk' | 'rows'
}

/** Everything a preview or a run needs, checked before the first row is read. */
export interface ImportSetup {
  plan: EntityPlan
  format: ImportFormat
  headers: string[]
  options: ImportRunOptions
  columns: ColumnPlan
  key: UpsertKey | null
}

/** 403 unless the caller holds the `import` right on the entity. */
export function assertCanImport(ctx: Ctx, entityId: string): void {
  if (canAttempt(ctx, entityId, 'import')) return
  throw lacksRight(ctx, entityId, 'import', 'entity')
}

/** The file's header row; 400 naming `file` when it has none, repeats a header or holds a NUL. */
async function readHeaders(
  file: ImportFile,
  format: ImportFormat,
  w: ImportWords,
): Promise<string[]> {
  const rows = readRows(file.path, format)
  const first = await rows.next()
  await rows.return(undefined)
  const headers = first.done ? [] : first.value.map((h) => h.trim())
  const refuse = (key: 'noHeader' | 'headerNul' | 'headerTwice', params?: Record<string, string>) =>
    new BadRequestError(w.text(key, params), [
      { path: 'file', message: w.text(`${key}Field`, params) },
    ])
  if (!headers.length || headers.every((h) => h === '')) throw refuse('noHeader')
  // A NUL can be neither stored (the job's options) nor typed: refused before anything is saved.
  const nul = headers.findIndex((h) => h.includes('\u0000'))
  if (nul >= 0) throw refuse('headerNul', { column: String(nul + 1) })
  const repeated = headers.find((h, i) => h !== '' && headers.indexOf(h) !== i)
  if (repeated !== undefined) throw refuse('headerTwice', { header: repeated })
  return headers
}

/**
 * Checks an import before any row is read: the right, the file's format and header, the
 * mapping (given, else the caller's saved one over the suggested one) and the upsert key.
 */
export async function setUpImport(
  ctx: Ctx,
  entityId: string,
  file: ImportFile,
  input: ImportInput,
): Promise<ImportSetup> {
  const plan = entityPlan(ctx.meta, entityId)
  assertCanImport(ctx, entityId)
  const locale = ctx.user?.locale
  const w = importWords(locale)
  if (plan.entity.childOf)
    throw new BadRequestError(w.text('childImport', { entity: w.entity(plan.entity) }), [
      { path: 'entity', message: w.text('childImportField') },
    ])
  const mode = input.mode ?? (input.key ? 'upsert' : 'insert')
  if (mode !== 'insert' && mode !== 'upsert')
    throw new BadRequestError(w.text('unknownMode', { mode: String(mode) }), [
      { path: 'mode', message: w.text('unknownModeField') },
    ])
  if (mode === 'upsert' && !input.key)
    throw new BadRequestError(w.text('upsertNeedsKey'), [
      { path: 'key', message: w.text('upsertNeedsKeyField') },
    ])
  const format = toImportFormat(file.name, locale)
  const headers = await readHeaders(file, format, w)
  const keyName = mode === 'upsert' ? input.key : undefined
  const mapping =
    input.mapping ?? suggestMapping(plan, headers, await loadImportMapping(ctx, entityId), keyName)
  assertMapping(ctx, plan, headers, mapping, keyName)
  const key = mode === 'upsert' ? toUpsertKey(plan, input.key!, mapping, locale) : null
  const columns = toColumnPlan(plan, headers, mapping, [], keyName)
  columns.group = toGroupColumns(headers, mapping, columns, key, input.group, locale)
  const options: ImportRunOptions = {
    mode,
    mapping,
    headers,
    ...(key ? { key: input.key } : {}),
    ...(input.group !== undefined ? { group: input.group } : {}),
  }
  return { plan, format, headers, options, columns, key }
}

/** sha-256 over the file's bytes, the entity and the options: what a resumed run must match. */
export async function importFingerprint(
  file: ImportFile,
  entityId: string,
  options: ImportRunOptions,
): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer)
  hash.update(JSON.stringify({ entityId, options }))
  return hash.digest('hex')
}
