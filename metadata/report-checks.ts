import { validateUnique } from './duplicates'
import { toIssue, type MetadataIssue } from './issue'
import type { Report } from './report'
import { REPORT_SHAPES, type ReportShape } from './report-layout'
import { validateReportLayout } from './report-layout-checks'
import { isAggregate, measureInputs, VIA_AGGREGATES, type ReportMeasure } from './report-measures'
import { validateRuleSize } from './rule-limits'

function measureIssues(report: Report): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const byId = new Map(report.measures.map((m) => [m.id, m]))
  report.measures.forEach((m, i) => {
    const at = `measures[${i}]`
    if (isAggregate(m)) {
      if (m.aggregate !== 'count' && m.field === undefined)
        issues.push(toIssue(`${at}.field`, `is required for ${m.aggregate}`))
      if (m.filter !== undefined) issues.push(...validateRuleSize(m.filter, `${at}.filter`))
      if (m.via !== undefined && !VIA_AGGREGATES.includes(m.aggregate))
        issues.push(
          toIssue(
            `${at}.aggregate`,
            `${m.aggregate} cannot be folded per record and then per group: use ${VIA_AGGREGATES.join(', ')} with via`,
          ),
        )
      return
    }
    const key = 'ratio' in m ? 'ratio' : 'runningTotal'
    measureInputs(m).forEach((id, j) => {
      const path = key === 'ratio' ? `${at}.ratio[${j}]` : `${at}.runningTotal`
      if (id === m.id) issues.push(toIssue(path, 'names the measure itself'))
      else if (!byId.has(id)) issues.push(toIssue(path, `no measure '${id}'`))
    })
    const target = 'runningTotal' in m ? byId.get(m.runningTotal) : undefined
    if (target && (!isAggregate(target) || !['count', 'sum'].includes(target.aggregate)))
      issues.push(
        toIssue(
          `${at}.runningTotal`,
          `'${target.id}' is no count or sum: a running total adds them up`,
        ),
      )
  })
  return [...issues, ...cycleIssues(report.measures)]
}

/** A measure that reaches itself through ratios and running totals can never be computed. */
function cycleIssues(measures: readonly ReportMeasure[]): MetadataIssue[] {
  const byId = new Map(measures.map((m) => [m.id, m]))
  const reaches = (from: string, target: string, seen: Set<string>): boolean => {
    const m = byId.get(from)
    if (!m || seen.has(from)) return false
    seen.add(from)
    return measureInputs(m).some(
      (id) => id !== m.id && (id === target || reaches(id, target, seen)),
    )
  }
  return measures.flatMap((m, i) =>
    measureInputs(m).some((id) => id !== m.id && reaches(id, m.id, new Set()))
      ? [toIssue(`measures[${i}]`, `'${m.id}' depends on itself through other measures`)]
      : [],
  )
}

function sortIssues(report: Report, ids: ReadonlySet<string>): MetadataIssue[] {
  const issues = validateUnique(
    report.sort,
    (s) => s.by,
    (i) => `sort[${i}].by`,
    'sort key',
  )
  report.sort?.forEach((s, i) => {
    if (!ids.has(s.by)) issues.push(toIssue(`sort[${i}].by`, `no dimension or measure '${s.by}'`))
  })
  return issues
}

/** A shape's settings sit under the key of its name, and only there. */
function shapeKeyIssues(report: Report): MetadataIssue[] {
  const shape: ReportShape = report.shape ?? 'summary'
  const issues: MetadataIssue[] = []
  for (const key of REPORT_SHAPES) {
    if (key === 'summary') continue
    if (key === shape && report[key] === undefined)
      issues.push(toIssue(key, `is required for shape '${key}'`))
    if (key !== shape && report[key] !== undefined)
      issues.push(toIssue(key, `is used only with shape '${key}'`))
  }
  return issues
}

function fiscalIssues(report: Report): MetadataIssue[] {
  if (report.fiscalYearStart === undefined) return []
  const fiscal =
    (report.dimensions ?? []).some((d) => d.bucket?.startsWith('fiscal')) ||
    (report.parameters ?? []).some((p) => p.type === 'dateRange' && /Fiscal/.test(p.default ?? ''))
  return fiscal
    ? []
    : [toIssue('fiscalYearStart', 'is used only by fiscal buckets and fiscal date ranges')]
}

/**
 * The problems of a report a schema cannot see, each at its path: ids used twice (dimensions and
 * measures share one namespace: sort keys name either), a sum without a field, ratios and running
 * totals naming unknown measures or themselves, cycles, unknown sort keys, shape settings that
 * are missing or name unknown dimensions and measures, chart parts that do not fit. Fields and
 * their types are checked against the bundle (report-references.ts).
 * @example validateReport(report) // [{ path: 'measures[2].ratio[1]', message: "no measure 'all'" }]
 */
export function validateReport(report: Report): MetadataIssue[] {
  const dimensions = report.dimensions ?? []
  const items = [
    ...dimensions.map((d, i) => ({ id: d.id, path: `dimensions[${i}].id` })),
    ...report.measures.map((m, i) => ({ id: m.id, path: `measures[${i}].id` })),
  ]
  const ids = new Set(items.map((item) => item.id))
  return [
    ...validateUnique(
      items,
      (item) => item.id,
      (i) => items[i].path,
      'dimension or measure id',
    ),
    ...validateUnique(
      report.parameters,
      (p) => p.id,
      (i) => `parameters[${i}].id`,
      'parameter id',
    ),
    ...(report.filter === undefined ? [] : validateRuleSize(report.filter, 'filter')),
    ...measureIssues(report),
    ...sortIssues(report, ids),
    ...shapeKeyIssues(report),
    ...fiscalIssues(report),
    ...validateReportLayout(report),
  ]
}
