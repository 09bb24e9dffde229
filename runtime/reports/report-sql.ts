import { sql, type SQL } from 'drizzle-orm'
import type { DimensionPart, MeasurePart, ReportParts, ValueKind } from './report-parts'
import { DefinitionError } from '../errors'
import { toPgTextArray } from '../records'
import { viaAggregate } from './report-related'

/*
 * The SQL pieces every shape shares. A report statement reads its rows in an inner select
 * (`d0…` dimension values, `v0…` measure inputs, `f0…` measure filters, `ag` aging days) and folds
 * them in an outer one over `t`: grouping by plain columns keeps parameters out of GROUP BY.
 */

export const T = 't'
export const col = (name: string) => sql`${sql.identifier(T)}.${sql.identifier(name)}`
/** A text[] parameter (drizzle would spread a JS array into a row). */
export const textArray = (values: readonly string[]) => sql`${toPgTextArray(values)}::text[]`

export const as = (expr: SQL, name: string) => sql`${expr} as ${sql.identifier(name)}`

/** The text a group key comes back as: days as `YYYY-MM-DD`, everything else as PostgreSQL prints it. */
export function keyText(dim: DimensionPart, value: SQL): SQL {
  return dim.isDay ? sql`to_char(${value}, 'YYYY-MM-DD')` : sql`(${value})::text`
}

/** The text a measure value comes back as (exact: numerics are never floats on the way). */
export function valueText(kind: ValueKind, value: SQL): SQL {
  if (kind === 'date') return sql`to_char(${value}, 'YYYY-MM-DD')`
  if (kind === 'datetime')
    return sql`to_char((${value}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  return sql`(${value})::text`
}

/** How a dimension sorts: a select by its options' order, others by value. */
export function dimensionOrder(dim: DimensionPart, i: number): SQL {
  const value = col(`d${i}`)
  if (!dim.options) return value
  return sql`array_position(${textArray(dim.options.map((o) => o.value))}, ${value})`
}

/** The inner select: one row per source (or child) row in scope, filtered and narrowed. */
export function innerSelect(parts: ReportParts, extra: SQL[] = []): SQL {
  const columns: SQL[] = parts.dims.map((d, i) => as(d.raw, `d${i}`))
  parts.measures.forEach((m, k) => {
    if (m.input) columns.push(as(m.input, `v${k}`))
    if (m.filter) columns.push(as(m.filter, `f${k}`))
  })
  columns.push(...extra)
  if (!columns.length) columns.push(sql`1 as one`)
  const from = parts.source.from(parts.env.scopeOf)
  const where = parts.where.length ? sql` where ${sql.join(parts.where, sql` and `)}` : sql``
  return sql`select ${sql.join(columns, sql`, `)} ${from}${where}`
}

/** What measure expressions may add: a condition on every aggregate, the window's partition. */
export interface MeasureContext {
  extra?: SQL
  /** Extra PARTITION BY terms of running totals (a pivot's grouping level). */
  partition?: SQL[]
}

function aggregateSql(parts: ReportParts, k: number, c: MeasureContext): SQL {
  const m = parts.measures[k]
  const def = m.def as { aggregate: string }
  const v = col(`v${k}`)
  const conditions = [m.filter ? col(`f${k}`) : undefined, c.extra].filter(Boolean) as SQL[]
  const filter = conditions.length
    ? sql` filter (where ${sql.join(conditions, sql` and `)})`
    : sql``
  if (m.isVia) return viaAggregate(def.aggregate, v, filter)
  switch (def.aggregate) {
    case 'count':
      return m.input ? sql`count(${v})${filter}` : sql`count(*)${filter}`
    case 'countDistinct':
      return sql`count(distinct ${v})${filter}`
    case 'avg':
      return sql`round(avg(${v})${filter}, 6)`
    default:
      return sql`${sql.raw(def.aggregate === 'sum' ? 'sum' : def.aggregate === 'min' ? 'min' : 'max')}(${v})${filter}`
  }
}

/** The SQL of measure `id` over a group (aggregates, ratios and running totals, recursively). */
export function measureSql(parts: ReportParts, id: string, c: MeasureContext = {}): SQL {
  const k = parts.measures.findIndex((m) => m.id === id)
  const m: MeasurePart = parts.measures[k]
  const def = m.def
  if ('ratio' in def) {
    const [num, den] = def.ratio.map((r) => measureSql(parts, r, c))
    return sql`round((${num})::numeric / nullif((${den})::numeric, 0), 6)`
  }
  if ('runningTotal' in def) {
    if (c.extra)
      throw new DefinitionError(`A running total ('${id}') cannot be split into stages or buckets`)
    const date = parts.dims.findIndex((d) => d.isDay)
    if (date < 0) throw new DefinitionError(`Running total '${id}' needs a date dimension`)
    const others = parts.dims.map((_, i) => col(`d${i}`)).filter((_, i) => i !== date)
    const by = [...(c.partition ?? []), ...others]
    const partition = by.length ? sql`partition by ${sql.join(by, sql`, `)} ` : sql``
    const target = measureSql(parts, def.runningTotal, c)
    return sql`sum(${target}) over (${partition}order by ${col(`d${date}`)} nulls last)`
  }
  return aggregateSql(parts, k, c)
}

/** `k0, t0, h0, …` key, label and hint columns of the dimensions. */
export function dimensionColumns(parts: ReportParts): SQL[] {
  const out: SQL[] = []
  parts.dims.forEach((d, i) => {
    out.push(as(keyText(d, col(`d${i}`)), `k${i}`))
    if (d.titleOf) out.push(as(d.titleOf(col(`d${i}`), i), `t${i}`))
    if (d.hintOf) out.push(as(d.hintOf(col(`d${i}`), i), `h${i}`))
  })
  return out
}

/** `m0, …` value columns of every measure. */
export function measureColumns(parts: ReportParts, c: MeasureContext = {}): SQL[] {
  return parts.measures.map((m, k) => as(valueText(m.kind, measureSql(parts, m.id, c)), `m${k}`))
}

/** ORDER BY: the report's sort keys, then every dimension, so equal rows keep one order. */
export function orderBy(parts: ReportParts, first: { by: string; desc?: boolean }[]): SQL {
  const keys: SQL[] = []
  for (const s of first) {
    const dim = parts.dims.findIndex((d) => d.id === s.by)
    const expr = dim >= 0 ? dimensionOrder(parts.dims[dim], dim) : measureSql(parts, s.by)
    keys.push(sql`${expr} ${sql.raw(s.desc ? 'desc' : 'asc')} nulls last`)
  }
  parts.dims.forEach((d, i) => {
    keys.push(sql`${dimensionOrder(d, i)} asc nulls last`)
    if (d.options) keys.push(sql`${col(`d${i}`)} asc nulls last`)
  })
  return keys.length ? sql` order by ${sql.join(keys, sql`, `)}` : sql``
}
