import type { Dashboard, DashboardWidget, WidgetKind } from './dashboard'
import { validateUnique } from './duplicates'
import { toIssue, type MetadataIssue } from './issue'

/** The keys each widget kind may carry besides id, kind, title, width and height. */
const KEYS_OF: Record<WidgetKind, readonly (keyof DashboardWidget)[]> = {
  report: ['report', 'show', 'parameters'],
  kpi: ['report', 'parameters', 'measure', 'compare', 'better'],
  inbox: ['limit'],
  notifications: ['limit'],
}
const KIND_KEYS = ['report', 'show', 'parameters', 'measure', 'compare', 'better', 'limit'] as const

function widgetIssues(widget: DashboardWidget, at: string): MetadataIssue[] {
  const allowed = KEYS_OF[widget.kind] ?? []
  const issues = KIND_KEYS.filter((k) => widget[k] !== undefined && !allowed.includes(k)).map((k) =>
    toIssue(`${at}.${k}`, `is not a setting of a ${widget.kind} widget`),
  )
  if ((widget.kind === 'report' || widget.kind === 'kpi') && widget.report === undefined)
    issues.push(toIssue(`${at}.report`, `is required for a ${widget.kind} widget`))
  if (widget.kind === 'kpi' && widget.measure === undefined)
    issues.push(toIssue(`${at}.measure`, 'is required for a kpi widget'))
  return issues
}

/**
 * Problems inside one dashboard: widget ids used twice, settings of another widget kind, a report
 * or KPI widget without its report (or measure), a dashboard that no caller would ever get.
 * Reports, measures, parameters and roles are resolved by `validateDashboardReferences`.
 * @example validateDashboard({ id: 'home', label: { en: 'Home' }, widgets: [] }) // roles issue
 */
export function validateDashboard(dashboard: Dashboard): MetadataIssue[] {
  const issues = validateUnique(
    dashboard.widgets,
    (w) => w.id,
    (i) => `widgets[${i}].id`,
    'widget id',
  )
  if (!dashboard.default && !dashboard.roles?.length)
    issues.push(
      toIssue('roles', 'names no role and the dashboard is not the default: no one gets it'),
    )
  dashboard.widgets.forEach((w, i) => issues.push(...widgetIssues(w, `widgets[${i}]`)))
  return issues
}
