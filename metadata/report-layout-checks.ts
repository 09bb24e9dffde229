import { toIssue, type MetadataIssue } from './issue'
import type { Report } from './report'
import { isAggregate } from './report-measures'

/** Names checked against the report's own dimensions and measures. */
interface Ids {
  dimensions: ReadonlySet<string>
  measures: ReadonlySet<string>
}

function expectDimension(id: string, path: string, ids: Ids): MetadataIssue[] {
  return ids.dimensions.has(id) ? [] : [toIssue(path, `no dimension '${id}'`)]
}

function expectMeasure(id: string, path: string, ids: Ids): MetadataIssue[] {
  return ids.measures.has(id) ? [] : [toIssue(path, `no measure '${id}'`)]
}

function pivotIssues(report: Report, ids: Ids): MetadataIssue[] {
  const pivot = report.pivot
  if (!pivot) return []
  const issues: MetadataIssue[] = []
  const placed = new Set<string>()
  for (const side of ['rows', 'columns'] as const)
    pivot[side].forEach((id, i) => {
      const path = `pivot.${side}[${i}]`
      issues.push(...expectDimension(id, path, ids))
      if (side === 'columns' && pivot.rows.includes(id))
        issues.push(toIssue(path, `'${id}' is also in rows`))
      placed.add(id)
    })
  ;(report.dimensions ?? []).forEach((d, i) => {
    if (!placed.has(d.id))
      issues.push(
        toIssue(`dimensions[${i}]`, `'${d.id}' is in neither pivot.rows nor pivot.columns`),
      )
  })
  return issues
}

function funnelIssues(report: Report, ids: Ids): MetadataIssue[] {
  const funnel = report.funnel
  if (!funnel) return []
  const issues = [
    ...expectDimension(funnel.dimension, 'funnel.dimension', ids),
    ...expectMeasure(funnel.measure, 'funnel.measure', ids),
  ]
  const measure = report.measures.find((m) => m.id === funnel.measure)
  if (measure && !isAggregate(measure))
    issues.push(
      toIssue('funnel.measure', `'${measure.id}' is no aggregate: stages need counts or sums`),
    )
  ;(report.dimensions ?? []).forEach((d, i) => {
    if (d.id !== funnel.dimension)
      issues.push(
        toIssue(`dimensions[${i}]`, `a funnel groups by its stages only ('${funnel.dimension}')`),
      )
    else if (d.bucket)
      issues.push(toIssue(`dimensions[${i}].bucket`, 'funnel stages are values, not periods'))
  })
  return issues
}

function agingIssues(report: Report, ids: Ids): MetadataIssue[] {
  const aging = report.aging
  if (!aging) return []
  const issues = expectMeasure(aging.measure, 'aging.measure', ids)
  aging.buckets.forEach((days, i) => {
    if (i > 0 && days <= aging.buckets[i - 1])
      issues.push(toIssue(`aging.buckets[${i}]`, `must be more than ${aging.buckets[i - 1]}`))
  })
  return issues
}

function trendIssues(report: Report, ids: Ids): MetadataIssue[] {
  const trend = report.trend
  if (!trend) return []
  const issues = expectDimension(trend.dimension, 'trend.dimension', ids)
  const dimension = report.dimensions?.find((d) => d.id === trend.dimension)
  if (dimension && !dimension.bucket)
    issues.push(
      toIssue('trend.dimension', `'${dimension.id}' has no bucket: a trend runs over periods`),
    )
  trend.measures.forEach((id, i) => issues.push(...expectMeasure(id, `trend.measures[${i}]`, ids)))
  return issues
}

function chartIssues(report: Report, ids: Ids): MetadataIssue[] {
  const chart = report.chart
  if (!chart) return []
  const issues: MetadataIssue[] = []
  if (chart.x !== undefined) issues.push(...expectDimension(chart.x, 'chart.x', ids))
  chart.series?.forEach((id, i) => issues.push(...expectMeasure(id, `chart.series[${i}]`, ids)))
  const shape = report.shape ?? 'summary'
  if ((chart.type === 'funnel' || chart.type === 'pivot') && shape !== chart.type)
    issues.push(toIssue('chart.type', `a ${chart.type} chart needs shape '${chart.type}'`))
  if (chart.stacked !== undefined && chart.type !== 'bar' && chart.type !== 'area')
    issues.push(toIssue('chart.stacked', 'is used only with bar and area charts'))
  const series = chart.series?.length ?? report.measures.length
  if (chart.type === 'number' && (report.dimensions ?? []).length > 0)
    issues.push(toIssue('chart.type', 'a number card shows one total: the report has dimensions'))
  if ((chart.type === 'number' || chart.type === 'pie') && series !== 1)
    issues.push(toIssue('chart.series', `a ${chart.type} chart shows exactly one measure`))
  return issues
}

/**
 * Issues of a report's shape settings (pivot, funnel, aging, trend) and chart: unknown
 * dimensions and measures, a dimension on both pivot sides or on none, a funnel measure that is
 * no aggregate, buckets out of order, a trend over an unbucketed dimension, a chart type that
 * does not fit the shape.
 */
export function validateReportLayout(report: Report): MetadataIssue[] {
  const ids: Ids = {
    dimensions: new Set((report.dimensions ?? []).map((d) => d.id)),
    measures: new Set(report.measures.map((m) => m.id)),
  }
  // Settings of another shape are reported once, by validateReport: not checked here.
  const shape = report.shape ?? 'summary'
  const settings = {
    summary: () => [],
    pivot: pivotIssues,
    funnel: funnelIssues,
    aging: agingIssues,
    trend: trendIssues,
  }[shape]
  return [...settings(report, ids), ...chartIssues(report, ids)]
}
