import type { Entity } from './entity'
import { UNFILTERABLE_TYPES, type FieldType } from './field'
import { toIssue, type MetadataIssue } from './issue'
import type { Report } from './report'
import { isAggregate, type AggregateMeasure, type ReportParameter } from './report-measures'
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

/** The entity a `via` measure folds, or undefined after recording why it cannot be. */
function viaEntity(
  report: Report,
  via: string,
  at: string,
  entities: ReadonlyMap<string, Entity>,
  reader: PathReader,
): Entity | undefined {
  const [entityId, link] = via.split('.')
  const related = entities.get(entityId)
  if (!related) return void reader.add(at, `no entity '${entityId}'`)
  if (related.childOf)
    return void reader.add(
      at,
      `'${entityId}' is a child entity: its rows belong to '${related.childOf}'`,
    )
  const field = related.fields.find((f) => f.name === link)
  if (field?.type !== 'reference' || field.entity !== report.entity)
    return void reader.add(at, `'${via}' is not a reference field pointing at '${report.entity}'`)
  return related
}

/** Where the field of measure `m` ends: on the source's rows, or on the records `via` names. */
function measureEnd(
  report: Report,
  m: AggregateMeasure,
  at: string,
  entities: ReadonlyMap<string, Entity>,
  reader: PathReader,
): ReportPathEnd | undefined {
  if (m.via === undefined) return m.field === undefined ? undefined : reader.read(m.field, at)
  const related = viaEntity(report, m.via, at.replace(/field$/, 'via'), entities, reader)
  if (!related || m.field === undefined) return undefined
  if (m.field.includes('.'))
    return void reader.add(at, `a via measure folds a field of '${related.id}' itself`)
  const end = resolveReportPath(related, m.field, entities)
  if ('problem' in end) return void reader.add(at, end.problem)
  if (UNREPORTABLE_TYPES.has(end.type))
    return void reader.add(at, `'${m.field}' is a ${end.type} field: reports cannot show it`)
  return end
}

/** Each measure's field checked for its aggregate; answers the min and max of dates by id. */
function measureIssues(
  report: Report,
  reader: PathReader,
  entities: ReadonlyMap<string, Entity>,
): Map<string, string> {
  const dated = new Map<string, string>()
  const folded = report.measures.flatMap(
    (m, i): { at: string; field: string; end?: ReportPathEnd }[] => {
      if (!isAggregate(m)) return []
      const at = `measures[${i}].field`
      const end = measureEnd(report, m, at, entities, reader)
      const via = m.via === undefined ? [] : [{ at: `measures[${i}].via`, field: m.via }]
      if (!end || m.field === undefined) return via
      const { aggregate, field } = m
      if ((aggregate === 'sum' || aggregate === 'avg') && !isNumericType(end.type))
        reader.add(at, `${aggregate} needs a number, and '${field}' is a ${end.type} field`)
      const ordered = isNumericType(end.type) || isDateType(end.type)
      if ((aggregate === 'min' || aggregate === 'max') && !ordered)
        reader.add(
          at,
          `${aggregate} needs a number or a date, and '${field}' is a ${end.type} field`,
        )
      if ((aggregate === 'min' || aggregate === 'max') && isDateType(end.type))
        dated.set(m.id, `the ${aggregate} of the ${end.type} '${field}'`)
      if (via.length) return via
      return aggregate === 'sum' || aggregate === 'avg' ? [{ at, field, end }] : []
    },
  )
  // Once a path enters a child table the rows are its rows: a parent's amount repeats on each.
  const [grain] = [...reader.childTables.keys()]
  for (const { at, field, end } of folded)
    if (grain && end?.childTable !== grain)
      reader.add(
        at,
        `would count '${field}' once per row of child table '${grain}': fold a field of its rows instead`,
      )
  return dated
}

/** A ratio divides numbers: the min or max of a date (refused when run) is refused here. */
function ratioIssues(report: Report, reader: PathReader, dated: Map<string, string>): void {
  report.measures.forEach((m, i) => {
    if (!('ratio' in m)) return
    m.ratio.forEach((id, j) => {
      const what = dated.get(id)
      if (what)
        reader.add(`measures[${i}].ratio[${j}]`, `'${id}' is ${what}: a ratio divides numbers`)
    })
  })
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

function filterIssues(
  report: Report,
  source: Entity,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  // A via measure's filter reads the records it folds; an unknown via entity is reported once.
  const rules = [
    { rule: report.filter, at: 'filter', entity: source as Entity | undefined },
    ...report.measures.map((m, i) => ({
      rule: isAggregate(m) ? m.filter : undefined,
      at: `measures[${i}].filter`,
      entity: isAggregate(m) && m.via ? entities.get(m.via.split('.')[0]) : source,
    })),
  ]
  return rules.flatMap(({ rule, at, entity }) => {
    if (!entity) return []
    const fields = new Map(entity.fields.map((f) => [f.name, f]))
    return [...ruleVarNames(rule)].flatMap((name) => {
      const field = fields.get(name)
      if (!field)
        return SYSTEM_KEYS.includes(name)
          ? []
          : [toIssue(at, `no field '${name}' in entity '${entity.id}'`)]
      // What the filter compiler refuses at run: one such report would fail every report list.
      return UNFILTERABLE_TYPES.has(field.type)
        ? [toIssue(at, `field '${name}' (${field.type}) cannot be used in a filter`)]
        : []
    })
  })
}

/**
 * The references of a report against the bundle's entities: its source; every path of its
 * dimensions, measures, parameters and aging (fields that exist, references to go along, at most
 * one child table, types that can be shown); buckets on dates only, sum and avg on numbers, a
 * sum of parent fields over child rows, parameters on fields of their type, funnel stages that
 * are options, a running total without a date dimension, a ratio over the min or max of a date;
 * `via` measures (a reference of another entity to the source, a field of that entity, not over
 * child rows); field names its filters read.
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
  ratioIssues(report, reader, measureIssues(report, reader, entities))
  layoutIssues(report, reader, dims)
  return [...reader.issues, ...filterIssues(report, source, entities)]
}
