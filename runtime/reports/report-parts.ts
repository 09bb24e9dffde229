import { sql, type SQL } from 'drizzle-orm'
import type { FieldType, SelectOption } from '../../metadata/field'
import type { Entity } from '../../metadata/entity'
import { toLabel, type Labels } from '../../metadata/labels'
import {
  isAggregate,
  type AggregateMeasure,
  type DateBucket,
  type MeasureFormat,
  type RatioMeasure,
  type Report,
  type ReportMeasure,
  type RunningTotalMeasure,
} from '../../metadata/report'
import type { Rule } from '../../metadata/rule'
import { DefinitionError, ForbiddenError } from '../errors'
import { fieldWords, ruleFieldNames, userVars } from '../permissions'
import { APP_SCHEMA, columnName, tableName } from '../schema'
import { compileFilter } from '../rules'
import { bucketSql, dayOf, type DayRange } from './date-periods'
import type { ReportEnv } from './report-env'
import { currencyOf } from './report-currency'
import { dateRangeOf, parameterCondition } from './report-params'
import { viaInput } from './report-related'
import { ReportSource, SOURCE_ALIAS, type PathColumn } from './report-source'

/** How a value comes back: a number, an exact decimal string, a day, an instant, a ratio. */
export type ValueKind = 'integer' | 'decimal' | 'date' | 'datetime' | 'ratio'

/** A dimension, resolved: its value per row (`raw`, bucketed), what it groups and shows by. */
export interface DimensionPart {
  id: string
  label: string
  path: string
  raw: SQL
  /** date and datetime values become days (`YYYY-MM-DD`). */
  isDay: boolean
  bucket?: DateBucket
  /** A select's options: labels, and the order stages and rows follow. */
  options?: SelectOption[]
  /** The label of a group key (name, department, title) as SQL over the key column. */
  titleOf?: (key: SQL, n: number) => SQL
  /**
   * A referenced record's first subtitle field (a product's code) as SQL over the key column:
   * added to a title that two groups share, so "Name (P10039)" tells them apart.
   */
  hintOf?: (key: SQL, n: number) => SQL
  /** Booleans read Yes / No. */
  isBoolean: boolean
}

/** A measure, resolved: its per-row input and filter for aggregates. */
export interface MeasurePart {
  id: string
  label: string
  format?: MeasureFormat
  /** money: the currency its amounts are in (ISO 4217), when the metadata names one. */
  currency?: string
  kind: ValueKind
  def: ReportMeasure
  input?: SQL
  filter?: SQL
  /** A via measure: `input` is already folded per source record. */
  isVia?: boolean
}

/** Everything the shapes assemble statements from. */
export interface ReportParts {
  report: Report
  source: ReportSource
  dims: DimensionPart[]
  measures: MeasurePart[]
  /** Scope, filter and parameter conditions over the report's rows. */
  where: SQL[]
  /** The days each date-range parameter narrows its field's path to in this run. */
  ranges: Map<string, DayRange>
  fiscalStart: number
  env: ReportEnv
}

const COUNT_LABEL: Labels = { en: 'Count', 'zh-CN': '数量', ko: '건수' }
const NUMERIC = new Set(['integer', 'decimal', 'money', 'percent'])

/** Reads a path, refusing with 403 a field on it the caller may not read. */
function readPath(env: ReportEnv, source: ReportSource, path: string, at: string): PathColumn {
  const column = source.column(path)
  for (const step of column.steps) {
    if (env.hiddenOf(step.entity.id)?.has(step.name)) {
      const w = fieldWords(env.locale, env.entities)
      const hidden = { field: w.field(step.entity.id, step.name), entity: w.entity(step.entity.id) }
      throw new ForbiddenError(
        w.text('mayNotReportOn', { field: w.field(source.source.id, path) }),
        [{ path: at, message: w.text('notReadableOf', hidden) }],
      )
    }
  }
  return column
}

function dimensionPart(parts: ReportParts, i: number): DimensionPart {
  const { env, report } = parts
  const d = report.dimensions![i]
  const column = readPath(env, parts.source, d.field, `dimensions[${i}].field`)
  const isDate = column.type === 'date' || column.type === 'datetime'
  const day = isDate ? dayOf(column.sql, column.type === 'datetime') : column.sql
  const label = toLabel(d.label ?? column.field?.label, env.locale, d.field)
  return {
    id: d.id,
    label,
    path: d.field,
    raw: d.bucket && isDate ? bucketSql(day, d.bucket, parts.fiscalStart) : day,
    isDay: isDate,
    bucket: d.bucket,
    options: column.type === 'select' ? column.field?.options : undefined,
    titleOf: titleOf(env, column),
    hintOf: hintOf(env, column),
    isBoolean: column.type === 'boolean',
  }
}

/** The SQL naming a group's key: a user's or department's name, a referenced record's title. */
function titleOf(env: ReportEnv, column: PathColumn): DimensionPart['titleOf'] {
  if (column.type === 'user')
    return (key) => sql`(select display_name from users where id = ${key})`
  if (column.type === 'department')
    return (key) => sql`(select name from departments where id = ${key})`
  if (column.type !== 'reference') return undefined
  const target = env.entities.get(column.field!.entity!)!
  return referencedField(env, target, target.titleField)
}

/** The SQL naming a referenced record's first subtitle field, when the caller may read it. */
function hintOf(env: ReportEnv, column: PathColumn): DimensionPart['hintOf'] {
  if (column.type !== 'reference') return undefined
  const target = env.entities.get(column.field!.entity!)!
  const first = target.subtitleFields?.[0]
  return first && first !== target.titleField ? referencedField(env, target, first) : undefined
}

/** A field of the record a key names, as text, within the caller's scope of that entity. */
function referencedField(
  env: ReportEnv,
  target: Entity,
  name: string | undefined,
): ((key: SQL, n: number) => SQL) | undefined {
  const field = target.fields.find((f) => f.name === name)
  if (!field || env.hiddenOf(target.id)?.has(field.name)) return undefined
  return (key, n) => {
    const alias = `r${n}`
    const scope = env.scopeOf(target.id, alias)
    const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(target))}`
    const col = sql`${sql.identifier(alias)}.${sql.identifier(columnName(field))}`
    const where = sql`${sql.identifier(alias)}.id = ${key}${scope ? sql` and ${scope}` : sql``}`
    return sql`(select ${col}::text from ${table} ${sql.identifier(alias)} where ${where})`
  }
}

/** Compiles a json-logic filter over the source record (403 naming a hidden field it reads). */
function filterSql(parts: ReportParts, rule: Rule, path: string): SQL {
  const { env, report } = parts
  const hidden = env.hiddenOf(report.entity)
  const names = hidden ? [...ruleFieldNames(rule)].filter((n) => hidden.has(n)) : []
  if (names.length) {
    const w = fieldWords(env.locale, env.entities)
    const field = w.field(report.entity, names[0])
    throw new ForbiddenError(w.text('mayNotFilter', { field }), [
      { path, message: w.text('notReadable', { field }) },
    ])
  }
  const compiled = compileFilter(parts.source.source, rule, {
    alias: SOURCE_ALIAS,
    vars: { $user: userVars(env.user) },
    now: env.now,
    path,
  })
  return sql`coalesce(${compiled}, false)`
}

function kindOf(m: AggregateMeasure, type: FieldType | undefined): ValueKind {
  if (m.aggregate === 'count' || m.aggregate === 'countDistinct') return 'integer'
  if (type === 'date' || type === 'datetime') return type
  if (m.aggregate === 'avg' || type !== 'integer') return 'decimal'
  return 'integer'
}

/** A ratio or running total: its kind and currency follow the measures it reads. */
function derivedPart(parts: ReportParts, i: number, built: Map<string, MeasurePart>): MeasurePart {
  const m = parts.report.measures[i] as RatioMeasure | RunningTotalMeasure
  const inputs = 'ratio' in m ? m.ratio : [m.runningTotal]
  for (const input of inputs) {
    const of = built.get(input)?.kind
    if (of === 'date' || of === 'datetime')
      throw new DefinitionError(
        `Measure '${m.id}' reads '${input}', which is a ${of}, not a number`,
        [{ path: `measures[${i}]`, message: `'${input}' is a ${of}` }],
      )
  }
  const format = m.format ?? ('ratio' in m ? 'percent' : undefined)
  const first = built.get(inputs[0])
  return {
    id: m.id,
    label: toLabel(m.label, parts.env.locale, m.id),
    format,
    // Cost per lead is in the cost's currency; a share has none.
    ...(format === 'money' && first?.currency ? { currency: first.currency } : {}),
    kind: 'ratio' in m ? 'ratio' : (first?.kind ?? 'decimal'),
    def: m,
  }
}

function measurePart(parts: ReportParts, i: number, built: Map<string, MeasurePart>): MeasurePart {
  const { env, report } = parts
  const m = report.measures[i]
  if (!isAggregate(m)) return derivedPart(parts, i, built)
  const via = m.via === undefined ? undefined : viaInput(env, m, i)
  const column =
    !via && m.field ? readPath(env, parts.source, m.field, `measures[${i}].field`) : undefined
  const type = via ? via.type : column?.type
  const field = via ? via.field : column?.field
  if (type && (m.aggregate === 'sum' || m.aggregate === 'avg') && !NUMERIC.has(type))
    throw new DefinitionError(`Measure '${m.id}' cannot ${m.aggregate} a ${type} field`)
  const fallback = m.field ? field?.label : COUNT_LABEL
  const format = m.format ?? (type === 'money' ? 'money' : undefined)
  const entity = via ? via.entity : (column?.entity ?? parts.source.source)
  const currency = format === 'money' ? currencyOf(env.entities, entity, field) : undefined
  return {
    id: m.id,
    label: toLabel(m.label ?? fallback, env.locale, m.field ?? m.id),
    format,
    ...(currency ? { currency } : {}),
    kind: kindOf(m, type),
    def: m,
    input: via ? via.input : column?.sql,
    filter:
      via || m.filter === undefined
        ? undefined
        : filterSql(parts, m.filter, `measures[${i}].filter`),
    ...(via ? { isVia: true } : {}),
  }
}

/** Measures in an order where every ratio and running total comes after what it reads. */
function measureKinds(parts: ReportParts): MeasurePart[] {
  const built = new Map<string, MeasurePart>()
  const pending = parts.report.measures.map((m, i) => ({ m, i }))
  while (pending.length) {
    const at = pending.findIndex(({ m }) =>
      ('ratio' in m ? m.ratio : 'runningTotal' in m ? [m.runningTotal] : []).every((id) =>
        built.has(id),
      ),
    )
    if (at < 0)
      throw new DefinitionError(`Report '${parts.report.id}': measures read each other in a circle`)
    const [{ i }] = pending.splice(at, 1)
    const part = measurePart(parts, i, built)
    built.set(part.id, part)
  }
  return parts.report.measures.map((m) => built.get(m.id)!)
}

/**
 * Resolves a report for a caller: paths to joined columns (403 on a hidden field), dimensions,
 * measures, and the scope, filter and parameter conditions.
 */
export function buildReportParts(
  env: ReportEnv,
  report: Report,
  params: Record<string, string>,
): ReportParts {
  const entity = env.entities.get(report.entity)
  if (!entity) throw new DefinitionError(`Report '${report.id}': no entity '${report.entity}'`)
  const parts: ReportParts = {
    report,
    source: new ReportSource(entity, env.entities),
    dims: [],
    measures: [],
    where: [],
    ranges: new Map(),
    fiscalStart: report.fiscalYearStart ?? 1,
    env,
  }
  parts.dims = (report.dimensions ?? []).map((_, i) => dimensionPart(parts, i))
  parts.measures = measureKinds(parts)
  const scope = env.scopeOf(report.entity, SOURCE_ALIAS)
  if (scope) parts.where.push(scope)
  if (report.filter !== undefined) parts.where.push(filterSql(parts, report.filter, 'filter'))
  for (const [i, p] of (report.parameters ?? []).entries()) {
    const column = readPath(env, parts.source, p.field, `parameters[${i}].field`)
    const runEnv = { user: env.user, now: env.now, report }
    const condition = parameterCondition(p, column, params[p.id], runEnv)
    if (condition) parts.where.push(condition)
    const range = dateRangeOf(p, params[p.id], runEnv)
    if (range) parts.ranges.set(p.field, range)
  }
  if (report.aging) readPath(env, parts.source, report.aging.field, 'aging.field')
  return parts
}
