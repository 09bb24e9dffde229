import { sql, type SQL } from 'drizzle-orm'
import {
  RELATIVE_RANGES,
  type RelativeRange,
  type Report,
  type ReportParameter,
} from '../../metadata/report'
import type { CurrentUser } from '../context'
import { ValidationError } from '../errors'
import { dayOf, relativeRange, type DayRange } from './date-periods'
import type { PathColumn } from './report-source'
import { textArray } from './report-sql'

/*
 * Run parameters: the text a caller passes for each declared parameter (a query string value),
 * checked and turned into a condition over the parameter's column. A bad value is a 422 naming
 * the parameter; a value never reaches SQL but as a bound parameter.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DAY = /^\d{4}-\d{2}-\d{2}$/
const MAX_VALUE_LENGTH = 4000

function refuse(id: string, message: string): never {
  throw new ValidationError(`Invalid report parameter '${id}'`, [{ path: id, message }])
}

/** Whether `YYYY-MM-DD` names a real day (in years 1–9999). */
function isDay(text: string): boolean {
  if (!DAY.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text && text >= '0001'
}

/** `thisMonth`, `2026-01-01..2026-03-31`, `2026-01-01..`, `..2026-03-31`, or `..` (no limit). */
function parseRange(id: string, raw: string, now: Date, fiscalStart: number): DayRange {
  if ((RELATIVE_RANGES as readonly string[]).includes(raw))
    return relativeRange(raw as RelativeRange, now, fiscalStart)
  const parts = raw.split('..')
  if (parts.length !== 2)
    refuse(id, `must be a named period (${RELATIVE_RANGES.join(', ')}) or from..to dates`)
  const [from, to] = parts
  for (const day of [from, to])
    if (day !== '' && !isDay(day)) refuse(id, `'${day}' is not a date (YYYY-MM-DD)`)
  if (from && to && from > to) refuse(id, `from ${from} is after to ${to}`)
  return { from: from || undefined, to: to || undefined }
}

function rangeCondition(column: PathColumn, range: DayRange): SQL | null {
  const day = dayOf(column.sql, column.type === 'datetime')
  const parts: SQL[] = []
  if (range.from) parts.push(sql`${day} >= ${range.from}::date`)
  if (range.to) parts.push(sql`${day} <= ${range.to}::date`)
  return parts.length ? sql.join(parts, sql` and `) : null
}

function optionsCondition(p: ReportParameter, column: PathColumn, values: string[]): SQL {
  const known = new Set((column.field?.options ?? []).map((o) => o.value))
  for (const v of values) if (!known.has(v)) refuse(p.id, `'${v}' is not an option of ${p.field}`)
  const list = textArray(values)
  return column.type === 'multiSelect'
    ? sql`${column.sql} && ${list}`
    : sql`${column.sql} = any(${list})`
}

function idCondition(p: ReportParameter, column: PathColumn, id: string | null): SQL | null {
  if (id === null) return null
  if (!UUID.test(id)) refuse(p.id, `'${id}' is not an id`)
  return sql`${column.sql} = ${id}::uuid`
}

/** The value a parameter has: the caller's text, else its default; undefined narrows nothing. */
function valueOf(
  p: ReportParameter,
  raw: string | undefined,
  user: CurrentUser,
): string | undefined {
  if (raw !== undefined) return raw
  if (p.default === undefined) return undefined
  if (p.type === 'select') return p.default.join(',')
  if (p.type === 'user') return user.id
  if (p.type === 'department') return user.departmentId ?? undefined
  return p.default
}

/**
 * The days a date-range parameter narrows to for this run (the caller's value, else its
 * default), or undefined when it narrows nothing; a bad value is refused like the condition.
 * @example dateRangeOf(period, 'lastMonth', env) // { from: '2026-05-01', to: '2026-05-31' }
 */
export function dateRangeOf(
  p: ReportParameter,
  raw: string | undefined,
  env: { user: CurrentUser; now: Date; report: Report },
): DayRange | undefined {
  if (p.type !== 'dateRange') return undefined
  const value = valueOf(p, raw, env.user)
  if (value === undefined) return undefined
  return parseRange(p.id, value, env.now, env.report.fiscalYearStart ?? 1)
}

/**
 * The condition of one parameter over its column, or null when it narrows nothing.
 * @example parameterCondition(period, column, '2026-01-01..2026-03-31', env) // d >= $1 and d <= $2
 */
export function parameterCondition(
  p: ReportParameter,
  column: PathColumn,
  raw: string | undefined,
  env: { user: CurrentUser; now: Date; report: Report },
): SQL | null {
  if (raw !== undefined && raw.length > MAX_VALUE_LENGTH)
    refuse(p.id, `must be at most ${MAX_VALUE_LENGTH} characters`)
  const value = valueOf(p, raw, env.user)
  if (value === undefined) return null
  switch (p.type) {
    case 'dateRange':
      return rangeCondition(
        column,
        parseRange(p.id, value, env.now, env.report.fiscalYearStart ?? 1),
      )
    case 'select': {
      const values = value.split(',').map((v) => v.trim())
      if (values.some((v) => v === '')) refuse(p.id, 'must list option values separated by commas')
      return optionsCondition(p, column, [...new Set(values)])
    }
    case 'user':
      return idCondition(p, column, value === '$user' ? env.user.id : value)
    case 'department':
      return idCondition(
        p,
        column,
        value === '$user.departmentId' ? (env.user.departmentId ?? null) : value,
      )
  }
}
