import { sql, type SQL } from 'drizzle-orm'
import { MAX_REPORT_ROWS, type Report } from '../../metadata/report'
import { DefinitionError } from '../errors'
import { dayOf, toDay } from './date-periods'
import type { ReportEnv } from './report-env'
import { buildReportParts, type ReportParts } from './report-parts'
import {
  as,
  col,
  dimensionColumns,
  innerSelect,
  measureColumns,
  measureSql,
  orderBy,
  T,
  textArray,
  valueText,
} from './report-sql'

/** Most groups a pivot reads (its cells and totals). */
export const MAX_PIVOT_GROUPS = 10000

/** A report compiled for one caller and one set of parameters: one statement and how to read it. */
export interface CompiledReport {
  parts: ReportParts
  statement: SQL
  /** Rows the statement may answer; one more means the result was cut. */
  cap: number
  /** funnel: the stages in order. */
  stages?: string[]
  /** aging: the buckets' upper bounds in days. */
  agingBounds?: number[]
}

const groupBy = (parts: ReportParts) =>
  parts.dims.length
    ? sql` group by ${sql.join(
        parts.dims.map((_, i) => col(`d${i}`)),
        sql`, `,
      )}`
    : sql``

/** The stages of a funnel: as listed, else the flow's state order, else the options' order. */
export function funnelStages(env: ReportEnv, parts: ReportParts): string[] {
  const funnel = parts.report.funnel!
  if (funnel.stages) return funnel.stages
  const dim = parts.dims.find((d) => d.id === funnel.dimension)!
  for (const flow of env.flows)
    if (flow.entity === parts.report.entity && flow.stateField === dim.path)
      return flow.states.map((s) => s.id)
  return (dim.options ?? []).map((o) => o.value)
}

/** Days from an aging field to the run day, per row. */
export function agingDays(parts: ReportParts): SQL {
  const column = parts.source.column(parts.report.aging!.field)
  return sql`(${toDay(parts.env.now)}::date - ${dayOf(column.sql, column.type === 'datetime')})`
}

/** The condition putting a row (with `days`) into aging bucket `b` of `bounds`. */
export function agingBucket(days: SQL, bounds: number[], b: number): SQL {
  if (b === 0) return sql`${days} <= ${bounds[0]}`
  if (b === bounds.length) return sql`${days} > ${bounds[b - 1]}`
  return sql`${days} > ${bounds[b - 1]} and ${days} <= ${bounds[b]}`
}

function rowsStatement(
  parts: ReportParts,
  extraColumns: SQL[] = [],
  inner?: SQL,
): { statement: SQL; cap: number } {
  const report = parts.report
  const sort = report.sort ?? (report.trend ? [{ by: report.trend.dimension }] : [])
  const cap = Math.min(report.limit ?? MAX_REPORT_ROWS, MAX_REPORT_ROWS)
  const columns = [...dimensionColumns(parts), ...measureColumns(parts), ...extraColumns]
  const statement = sql`select ${sql.join(columns, sql`, `)} from (${inner ?? innerSelect(parts)}) ${sql.identifier(T)}${groupBy(parts)}${orderBy(parts, sort)} limit ${cap + 1}`
  return { statement, cap }
}

function pivotStatement(parts: ReportParts): SQL {
  const dims = parts.dims.map((_, i) => col(`d${i}`))
  const totals = parts.report.pivot?.totals !== false
  const rows = parts.report.pivot!.rows.map((id) =>
    col(`d${parts.dims.findIndex((d) => d.id === id)}`),
  )
  const cols = parts.report.pivot!.columns.map((id) =>
    col(`d${parts.dims.findIndex((d) => d.id === id)}`),
  )
  const level = sql`grouping(${sql.join(dims, sql`, `)})`
  const group = totals
    ? sql` group by grouping sets ((${sql.join(dims, sql`, `)}), (${sql.join(rows, sql`, `)}), (${sql.join(cols, sql`, `)}), ())`
    : groupBy(parts)
  const columns = [
    ...dimensionColumns(parts),
    ...measureColumns(parts, { partition: totals ? [level] : [] }),
    as(totals ? level : sql`0`, 'g'),
  ]
  const from = sql`from (${innerSelect(parts)}) ${sql.identifier(T)}`
  return sql`select ${sql.join(columns, sql`, `)} ${from}${group}${orderBy(parts, [])} limit ${MAX_PIVOT_GROUPS + 1}`
}

function funnelStatement(parts: ReportParts, stages: string[]): SQL {
  const funnel = parts.report.funnel!
  const stage = col(`d${parts.dims.findIndex((d) => d.id === funnel.dimension)}`)
  const measure = parts.measures.find((m) => m.id === funnel.measure)!
  const columns = stages.map((_, i) =>
    as(
      valueText(
        measure.kind,
        measureSql(parts, funnel.measure, {
          extra: sql`${stage} = any(${textArray(stages.slice(i))})`,
        }),
      ),
      `s${i}`,
    ),
  )
  columns.push(...measureColumns(parts))
  return sql`select ${sql.join(columns, sql`, `)} from (${innerSelect(parts)}) ${sql.identifier(T)}`
}

function agingStatement(parts: ReportParts, bounds: number[]): { statement: SQL; cap: number } {
  const aging = parts.report.aging!
  const measure = parts.measures.find((m) => m.id === aging.measure)!
  const days = col('ag')
  const buckets = Array.from({ length: bounds.length + 1 }, (_, b) =>
    as(
      valueText(
        measure.kind,
        measureSql(parts, aging.measure, { extra: agingBucket(days, bounds, b) }),
      ),
      `a${b}`,
    ),
  )
  return rowsStatement(parts, buckets, innerSelect(parts, [as(agingDays(parts), 'ag')]))
}

/**
 * Compiles a published report for a caller into one SQL statement (no I/O): the caller's read
 * scope on the source and on every joined entity, 403 for a hidden field used anywhere, 422 for
 * a bad parameter.
 * @example compileReport(reportEnv(ctx), report, { period: 'thisMonth' }).statement
 */
export function compileReport(
  env: ReportEnv,
  report: Report,
  params: Record<string, string>,
): CompiledReport {
  const parts = buildReportParts(env, report, params)
  switch (report.shape ?? 'summary') {
    case 'pivot':
      if (!report.pivot) throw new DefinitionError(`Report '${report.id}' has no pivot settings`)
      return { parts, statement: pivotStatement(parts), cap: MAX_PIVOT_GROUPS }
    case 'funnel': {
      if (!report.funnel) throw new DefinitionError(`Report '${report.id}' has no funnel settings`)
      const stages = funnelStages(env, parts)
      return { parts, statement: funnelStatement(parts, stages), cap: 1, stages }
    }
    case 'aging': {
      if (!report.aging) throw new DefinitionError(`Report '${report.id}' has no aging settings`)
      const bounds = report.aging.buckets
      return { parts, ...agingStatement(parts, bounds), agingBounds: bounds }
    }
    default:
      return { parts, ...rowsStatement(parts) }
  }
}
