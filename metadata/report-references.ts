import type { Entity } from './entity'
import type { FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import type { Report } from './report'
import { isAggregate, type ReportParameter } from './report-measures'
import {
  isDateType,
  isNumericType,
  resolveReportPath,
  UNREPORTABLE_TYPES,
  type ReportPathEnd,
} from './report-paths'
import { SYSTEM_KEYS } from './system-fields'

/** The field types each parameter type narrows. */
const PARAMETER_FIELD_TYPES: Record<ReportParameter['type'], readonly FieldType[]> = {
  dateRange: ['date', 'datetime'],
  select: ['select', 'multiSelect'],
  user: ['user'],
  department: ['department'],
}

/** Resolves the paths of one report, collecting issues and the child tables they enter. */
class PathReader {
  readonly issues: MetadataIssue[] = []
  /** Child table → the first path that entered it. */
  readonly childTables = new Map<string, string>()

  constructor(
    private readonly source: Entity,
    private readonly entities: ReadonlyMap<string, Entity>,
  ) {}

  /** The end of `path`, or undefined after recording why not (or why it is not reportable). */
  read(path: string, at: string): ReportPathEnd | undefined {
    const end = resolveReportPath(this.source, path, this.entities)
    if ('problem' in end) return void this.issues.push(toIssue(at, end.problem))
    if (UNREPORTABLE_TYPES.has(end.type))
      return void this.issues.push(
        toIssue(at, `'${path}' is a ${end.type} field: reports cannot show it`),
      )
    if (end.childTable) {
      const [joined] = [...this.childTables.entries()]
      if (!joined) this.childTables.set(end.childTable, at)
      else if (joined[0] !== end.childTable)
        this.add(
          at,
          `enters child table '${end.childTable}', but ${joined[1]} enters '${joined[0]}': one child table per report`,
        )
    }
    return end
  }

  add(path: string, message: string): void {
    this.issues.push(toIssue(path, message))
  }
}

function dimensionIssues(report: Report, reader: PathReader): Map<string, ReportPathEnd> {
  const ends = new Map<string, ReportPathEnd>()
  report.dimensions?.forEach((d, i) => {
    const at = `dimensions[${i}]`
    const end = reader.read(d.field, `${at}.field`)
    if (!end) return
    ends.set(d.id, end)
    if (end.type === 'multiSelect')
      reader.add(`${at}.field`, `'${d.field}' holds several values: filter on it instead`)
    if (d.bucket && !isDateType(end.type))
      reader.add(`${at}.bucket`, `'${d.field}' is a ${end.type} field, not a date or datetime`)
    if (!d.bucket && end.type === 'datetime')
      reader.add(`${at}.bucket`, `is required for the datetime '${d.field}' (day, week, month, …)`)
  })
  return ends
}

function measureIssues(report: Report, reader: PathReader): void {
  const folded = report.measures.flatMap((m, i) => {
    if (!isAggregate(m) || m.field === undefined) return []
    const at = `measures[${i}].field`
    const end = reader.read(m.field, at)
    if (!end) return []
    const { aggregate, field } = m
    if ((aggregate === 'sum' || aggregate === 'avg') && !isNumericType(end.type))
      reader.add(at, `${aggregate} needs a number, and '${field}' is a ${end.type} field`)
    const ordered = isNumericType(end.type) || isDateType(end.type)
    if ((aggregate === 'min' || aggregate === 'max') && !ordered)
      reader.add(at, `${aggregate} needs a number or a date, and '${field}' is a ${end.type} field`)
    return aggregate === 'sum' || aggregate === 'avg' ? [{ at, field, end }] : []
  })
  // Once a path enters a child table the rows are its rows: a parent's amount repeats on each.
  const [grain] = [...reader.childTables.keys()]
  for (const { at, field, end } of folded)
    if (grain && end.childTable !== grain)
      reader.add(
        at,
        `would count '${field}' once per row of child table '${grain}': fold a field of its rows instead`,
      )
}

function parameterIssues(report: Report, reader: PathReader): void {
  report.parameters?.forEach((p, i) => {
    const at = `parameters[${i}].field`
    const end = reader.read(p.field, at)
    if (!end) return
    const allowed = PARAMETER_FIELD_TYPES[p.type]
    if (!allowed.includes(end.type))
      return reader.add(
        at,
        `a ${p.type} parameter needs a ${allowed.join(' or ')} field, and '${p.field}' is ${end.type}`,
      )
    if (p.type !== 'select') return
    const options = new Set((end.field?.options ?? []).map((o) => o.value))
    p.default?.forEach((value, j) => {
      if (!options.has(value))
        reader.add(`parameters[${i}].default[${j}]`, `'${value}' is not an option of ${p.field}`)
    })
  })
}

function agingIssues(report: Report, reader: PathReader): void {
  if (!report.aging) return
  const end = reader.read(report.aging.field, 'aging.field')
  if (end && !isDateType(end.type))
    reader.add(
      'aging.field',
      `'${report.aging.field}' is a ${end.type} field, not a date or datetime`,
    )
}

function layoutIssues(report: Report, reader: PathReader, dims: Map<string, ReportPathEnd>): void {
  if (report.funnel) {
    const end = dims.get(report.funnel.dimension)
    if (end && end.type !== 'select')
      reader.add(
        'funnel.dimension',
        `'${report.funnel.dimension}' is a ${end.type} field: funnel stages need a select`,
      )
    const options = new Set((end?.field?.options ?? []).map((o) => o.value))
    if (end?.type === 'select')
      report.funnel.stages?.forEach((s, j) => {
        if (!options.has(s))
          reader.add(`funnel.stages[${j}]`, `'${s}' is not an option of ${end.field?.name}`)
      })
  }
  const runningTotal = report.measures.findIndex((m) => 'runningTotal' in m)
  const dated = [...dims.values()].some((end) => isDateType(end.type))
  if (runningTotal >= 0 && !dated && dims.size === (report.dimensions ?? []).length)
    reader.add(
      `measures[${runningTotal}].runningTotal`,
      'runs along a date dimension, and the report has none',
    )
}

/** Record names a rule reads with `var` (first segment; `$user.*` and array-scoped vars left out). */
export function ruleVarNames(rule: unknown, into = new Set<string>()): Set<string> {
  if (rule === null || typeof rule !== 'object') return into
  if (Array.isArray(rule)) return (rule.forEach((r) => ruleVarNames(r, into)), into)
  for (const [op, raw] of Object.entries(rule)) {
    const args = Array.isArray(raw) ? raw : [raw]
    if (op === 'var') {
      if (typeof args[0] === 'string' && args[0] !== '' && !args[0].startsWith('$'))
        into.add(args[0].split('.')[0])
    } else if (['map', 'filter', 'reduce', 'all', 'none', 'some'].includes(op)) {
      ruleVarNames(args[0], into)
    } else ruleVarNames(args, into)
  }
  return into
}

function filterIssues(report: Report, source: Entity): MetadataIssue[] {
  const names = new Set(source.fields.map((f) => f.name))
  const rules = [
    { rule: report.filter, at: 'filter' },
    ...report.measures.map((m, i) => ({
      rule: isAggregate(m) ? m.filter : undefined,
      at: `measures[${i}].filter`,
    })),
  ]
  return rules.flatMap(({ rule, at }) =>
    [...ruleVarNames(rule)]
      .filter((name) => !names.has(name) && !SYSTEM_KEYS.includes(name))
      .map((name) => toIssue(at, `no field '${name}' in entity '${source.id}'`)),
  )
}

/**
 * The references of a report against the bundle's entities: its source; every path of its
 * dimensions, measures, parameters and aging (fields that exist, references to go along, at most
 * one child table, types that can be shown); buckets on dates only, sum and avg on numbers, a
 * sum of parent fields over child rows, parameters on fields of their type, funnel stages that
 * are options, a running total without a date dimension; field names its filters read.
 * @example validateReportReferences(report, entities) // [{ path: 'dimensions[0].bucket', … }]
 */
export function validateReportReferences(
  report: Report,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const source = entities.get(report.entity)
  if (!source) return [toIssue('entity', `no entity '${report.entity}'`)]
  if (source.childOf)
    return [
      toIssue(
        'entity',
        `'${source.id}' is a child entity: report on '${source.childOf}' and its child table`,
      ),
    ]
  const reader = new PathReader(source, entities)
  const dims = dimensionIssues(report, reader)
  parameterIssues(report, reader)
  agingIssues(report, reader)
  measureIssues(report, reader)
  layoutIssues(report, reader, dims)
  return [...reader.issues, ...filterIssues(report, source)]
}
