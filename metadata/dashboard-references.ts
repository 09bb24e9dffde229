import type { Dashboard, DashboardWidget } from './dashboard'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { Report } from './report'
import type { Role } from './role'

/** What a dashboard may point at. `roles` undefined: the bundle carries none, so none is checked. */
export interface DashboardIndexes {
  reports: ReadonlyMap<string, Report>
  roles?: ReadonlyMap<string, Role>
}

function kpiIssues(widget: DashboardWidget, report: Report, at: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const measure = report.measures.find((m) => m.id === widget.measure)
  if (widget.measure !== undefined && !measure)
    issues.push(toIssue(`${at}.measure`, `no measure '${widget.measure}' in report '${report.id}'`))
  if (measure && 'runningTotal' in measure)
    issues.push(toIssue(`${at}.measure`, `'${measure.id}' is a running total: it has no one value`))
  if (widget.compare && !report.parameters?.some((p) => p.type === 'dateRange'))
    issues.push(
      toIssue(`${at}.compare`, `report '${report.id}' has no date range to take the period before`),
    )
  return issues
}

function widgetIssues(widget: DashboardWidget, report: Report, at: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const ids = new Set((report.parameters ?? []).map((p) => p.id))
  for (const name of Object.keys(widget.parameters ?? {}))
    if (!ids.has(name))
      issues.push(
        toIssue(joinPath(`${at}.parameters`, name), `no parameter '${name}' in '${report.id}'`),
      )
  if (widget.kind === 'kpi') issues.push(...kpiIssues(widget, report, at))
  if (widget.show === 'chart' && !report.chart)
    issues.push(toIssue(`${at}.show`, `report '${report.id}' declares no chart`))
  return issues
}

/**
 * A dashboard against its bundle: the reports its widgets name (with their parameters and KPI
 * measures) and the roles it is for.
 * @example validateDashboardReferences(home, { reports, roles }) // [{ path: 'widgets[0].report', … }]
 */
export function validateDashboardReferences(
  dashboard: Dashboard,
  indexes: DashboardIndexes,
): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  dashboard.roles?.forEach((role, i) => {
    if (indexes.roles && !indexes.roles.has(role))
      issues.push(toIssue(`roles[${i}]`, `no role '${role}'`))
  })
  dashboard.widgets.forEach((widget, i) => {
    if (widget.report === undefined) return
    const at = `widgets[${i}]`
    const report = indexes.reports.get(widget.report)
    if (!report) return void issues.push(toIssue(`${at}.report`, `no report '${widget.report}'`))
    issues.push(...widgetIssues(widget, report, at))
  })
  return issues
}

/** More than one default dashboard leaves it to chance which one a caller without a match gets. */
export function validateOneDefaultDashboard(dashboards: readonly Dashboard[]): MetadataIssue[] {
  const defaults = dashboards.filter((d) => d.default)
  return defaults
    .slice(1)
    .map((d) =>
      toIssue(
        `dashboards[${d.id}].default`,
        `'${defaults[0].id}' is the default dashboard already`,
      ),
    )
}
