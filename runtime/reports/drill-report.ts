import { sql, type SQL } from 'drizzle-orm'
import type { Report } from '../../metadata/report'
import { ValidationError } from '../errors'
import { agingBucket, agingDays, funnelStages } from './compile-report'
import type { ReportEnv } from './report-env'
import { buildReportParts, type ReportParts } from './report-parts'
import { SOURCE_ALIAS } from './report-source'
import { keyText, textArray } from './report-sql'

/** A cell of a report: the keys of its row and column (`row.keys` plus `column.keys`). */
export type ReportCell = Record<string, string | null>

const MAX_KEY_LENGTH = 1000

function refuse(path: string, message: string): never {
  throw new ValidationError(`Invalid drill-down ${path}`, [{ path, message }])
}

/** `cell` as the API takes it: a JSON object of dimension ids (and `$aging`) to keys or null. */
export function parseCell(text: string | undefined): ReportCell {
  if (text === undefined || text === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    refuse('cell', 'must be a JSON object of dimension ids to keys')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    refuse('cell', 'must be a JSON object of dimension ids to keys')
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v !== 'string') refuse('cell', `'${key}' must be a key string or null`)
    if (typeof v === 'string' && v.length > MAX_KEY_LENGTH) refuse('cell', `'${key}' is too long`)
  }
  return value as ReportCell
}

function cellCondition(env: ReportEnv, parts: ReportParts, key: string, value: string | null): SQL {
  const report = parts.report
  if (key === '$aging' && report.aging) {
    const b = Number(value)
    const bounds = report.aging.buckets
    if (!Number.isInteger(b) || b < 0 || b > bounds.length || value === null)
      refuse('cell', `'$aging' must be a bucket number from 0 to ${bounds.length}`)
    return agingBucket(agingDays(parts), bounds, b)
  }
  const i = parts.dims.findIndex((d) => d.id === key)
  if (i < 0) refuse('cell', `'${key}' is not a dimension of report '${report.id}'`)
  const dim = parts.dims[i]
  if (value === null) return sql`${dim.raw} is null`
  if (report.shape === 'funnel' && report.funnel?.dimension === key) {
    // A funnel stage holds the records at that stage or a later one.
    const stages = funnelStages(env, parts)
    const at = stages.indexOf(value)
    if (at < 0) refuse('cell', `'${value}' is not a stage of the funnel`)
    return sql`${dim.raw}::text = any(${textArray(stages.slice(at))})`
  }
  return sql`${keyText(dim, dim.raw)} = ${value}`
}

/**
 * The predicate over the source table picking the records behind a cell: those with a row in the
 * report (in scope, filtered, narrowed by the parameters) whose keys are the cell's, and for an
 * aggregate measure with a filter, the rows it counts.
 * @example drillPredicate(env, report, {}, { stage: 'won' }, 'deals') // "id" in (select s.id …)
 */
export function drillPredicate(
  env: ReportEnv,
  report: Report,
  params: Record<string, string>,
  cell: ReportCell,
  measureId?: string,
): SQL {
  const parts = buildReportParts(env, report, params)
  const where = [...parts.where]
  for (const [key, value] of Object.entries(cell)) where.push(cellCondition(env, parts, key, value))
  if (measureId !== undefined) {
    const measure = parts.measures.find((m) => m.id === measureId)
    if (!measure) refuse('measure', `'${measureId}' is not a measure of report '${report.id}'`)
    if (measure.filter) where.push(measure.filter)
  }
  const from = parts.source.from(env.scopeOf)
  const id = sql`${sql.identifier(SOURCE_ALIAS)}.id`
  const cond = where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``
  return sql`id in (select ${id} ${from}${cond})`
}
