import {
  DEFAULT_WIDGET_LIMIT,
  DEFAULT_WIDGET_WIDTH,
  type Dashboard,
  type DashboardWidget,
  type KpiDirection,
  type ReportView,
  type WidgetKind,
} from '../../metadata/dashboard'
import { LOCALES, toLabel, type Labels, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { listReports, type ReportSummary } from '../reports'

/** A widget as the caller's dashboard answers it: titles in their language, defaults filled. */
export interface CallerWidget {
  id: string
  kind: WidgetKind
  title: string
  width: number
  height: number
  /** report, kpi: the report as the list of runnable reports shows it. */
  report?: ReportSummary
  show?: ReportView
  parameters?: Record<string, string>
  measure?: string
  compare?: 'previousPeriod'
  /** kpi: which way its change is good news (default higher). */
  better?: KpiDirection
  limit?: number
}

/** The caller's dashboard: its labels and the widgets they may see. */
export interface CallerDashboard {
  id: string
  label: string
  description?: string
  widgets: CallerWidget[]
}

const TITLES: Record<'inbox' | 'notifications', Labels> = {
  inbox: { en: 'My pending tasks', 'zh-CN': '我的待办', ko: '내 대기 작업' },
  notifications: { en: 'My notifications', 'zh-CN': '我的通知', ko: '내 알림' },
}

/**
 * The dashboard for the caller: of those naming one of their roles the highest priority (then the
 * first id), else the default one; undefined when there is neither.
 */
export function pickDashboard(ctx: Ctx): Dashboard | undefined {
  const roles = new Set(ctx.user?.roles ?? [])
  const all = [...ctx.meta.dashboards.values()]
  const mine = all
    .filter((d) => d.roles?.some((r) => roles.has(r)))
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.id.localeCompare(b.id))
  return mine[0] ?? all.find((d) => d.default)
}

function toCallerWidget(
  w: DashboardWidget,
  report: ReportSummary | undefined,
  label: (l: Labels | undefined) => string,
): CallerWidget {
  const base = {
    id: w.id,
    kind: w.kind,
    width: w.width ?? DEFAULT_WIDGET_WIDTH[w.kind],
    height: w.height ?? (w.kind === 'kpi' ? 1 : 2),
  }
  if (w.kind === 'inbox' || w.kind === 'notifications')
    return {
      ...base,
      title: label(w.title ?? TITLES[w.kind]),
      limit: w.limit ?? DEFAULT_WIDGET_LIMIT,
    }
  const show = w.show ?? (report?.chart && report.chart.type !== 'pivot' ? 'chart' : 'table')
  return {
    ...base,
    title: w.title ? label(w.title) : (report?.label ?? w.id),
    report,
    ...(w.kind === 'report'
      ? { show }
      : { measure: w.measure, compare: w.compare, better: w.better ?? 'higher' }),
    parameters: w.parameters ?? {},
  }
}

/**
 * The caller's dashboard with the widgets they may see: a report or KPI widget over a report the
 * caller may not run (no read right, a hidden field) is left out, never an error.
 * @example (await callerDashboard(ctx))?.widgets.map((w) => w.kind) // ['kpi', 'report', 'inbox']
 */
export function callerDashboard(ctx: Ctx): CallerDashboard | null {
  if (!ctx.user) throw new ForbiddenError('A dashboard needs a signed-in user')
  const dashboard = pickDashboard(ctx)
  if (!dashboard) return null
  const locale = (LOCALES as readonly string[]).includes(ctx.user.locale)
    ? (ctx.user.locale as Locale)
    : 'en'
  const label = (l: Labels | undefined) => toLabel(l, locale, '')
  const runnable = new Map(listReports(ctx).map((r) => [r.id, r]))
  const widgets = dashboard.widgets
    .filter((w) => w.report === undefined || runnable.has(w.report))
    .map((w) =>
      toCallerWidget(w, w.report === undefined ? undefined : runnable.get(w.report), label),
    )
  return {
    id: dashboard.id,
    label: label(dashboard.label) || dashboard.id,
    ...(dashboard.description ? { description: label(dashboard.description) } : {}),
    widgets,
  }
}
