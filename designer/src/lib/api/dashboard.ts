import { api } from './client'
import type { ReportSummary, ReportValue } from './reports'

/** A widget of the caller's dashboard, as GET /api/dashboard answers it. */
export interface DashboardWidget {
  id: string
  kind: 'report' | 'kpi' | 'inbox' | 'notifications'
  title: string
  width: number
  height: number
  report?: ReportSummary
  show?: 'chart' | 'table'
  parameters?: Record<string, string>
  measure?: string
  compare?: 'previousPeriod'
  /** kpi: which way its change is good news. */
  better?: 'higher' | 'lower'
  limit?: number
}

export interface CallerDashboard {
  id: string
  label: string
  description?: string
  widgets: DashboardWidget[]
}

/** A KPI widget's number and the period before. */
export interface KpiValue {
  widget: string
  label: string
  value: ReportValue
  format?: 'number' | 'integer' | 'percent' | 'money'
  valueKind?: 'integer' | 'decimal' | 'date' | 'datetime' | 'ratio'
  currency?: string
  previous?: { period: string; value: ReportValue } | null
}

/** My dashboard, or null when none is for me. */
export async function loadDashboard(): Promise<CallerDashboard | null> {
  return (await api<{ dashboard: CallerDashboard | null }>('/api/dashboard')).dashboard
}

/** The number of a KPI widget of my dashboard. */
export function loadKpi(widget: string): Promise<KpiValue> {
  return api<KpiValue>(`/api/dashboard/kpis/${encodeURIComponent(widget)}`)
}
