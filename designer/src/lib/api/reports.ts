import { api, toUrl } from './client'
import type { ListPage } from './data'

/** A column of a report result (see docs/reports.md). */
export interface ReportColumn {
  id: string
  label: string
  kind: 'dimension' | 'measure'
  format?: 'number' | 'integer' | 'percent' | 'money'
  valueKind?: 'integer' | 'decimal' | 'date' | 'datetime' | 'ratio'
  /** money: the currency of the amounts (ISO 4217). */
  currency?: string
  measure?: string
  keys?: Record<string, string | null>
  /** A select dimension: its options in the field's order, with their colours. */
  options?: { value: string; label: string; color?: string }[]
}

export type ReportValue = string | number | null

export interface ReportRow {
  keys: Record<string, string | null>
  values: Record<string, ReportValue>
  total?: boolean
}

export interface ReportChartSpec {
  type: 'bar' | 'line' | 'area' | 'pie' | 'funnel' | 'pivot' | 'number'
  x?: string
  series?: string[]
  stacked?: boolean
}

/** What GET /api/reports/{id}/run answers. */
export interface ReportResult {
  id: string
  label: string
  shape: 'summary' | 'pivot' | 'funnel' | 'aging' | 'trend'
  chart?: ReportChartSpec
  columns: ReportColumn[]
  rows: ReportRow[]
  totals?: Record<string, ReportValue>
  /** funnel: the columns of `totals`, with their labels. */
  totalColumns?: ReportColumn[]
  truncated: boolean
}

/** A parameter a runner asks for. */
export interface ReportParameterSummary {
  id: string
  type: 'dateRange' | 'select' | 'user' | 'department'
  label: string
  default?: unknown
  options?: { value: string; label: string }[]
}

/** A report the caller may run, as GET /api/reports lists it. */
export interface ReportSummary {
  id: string
  label: string
  description?: string
  entity: string
  shape: string
  chart?: ReportChartSpec
  parameters: ReportParameterSummary[]
}

/** The reports the caller may run. */
export async function loadReports(): Promise<ReportSummary[]> {
  return (await api<{ data: ReportSummary[] }>('/api/reports')).data
}

/** Runs a report with the given parameter values. */
export function runReport(id: string, params: Record<string, string> = {}): Promise<ReportResult> {
  return api<ReportResult>(`/api/reports/${encodeURIComponent(id)}/run`, { query: params })
}

/** A page of the records behind a cell. */
export function drillReport(
  id: string,
  params: Record<string, string>,
  cell: Record<string, string | null>,
  cursor?: string | null,
): Promise<ListPage> {
  return api<ListPage>(`/api/reports/${encodeURIComponent(id)}/drill`, {
    query: { ...params, cell: JSON.stringify(cell), limit: 50, cursor },
  })
}

/** Where the records of a cell open in the workspace. */
export function drillHref(
  id: string,
  params: Record<string, string>,
  cell: Record<string, string | null>,
): string {
  return toUrl(`/r/${encodeURIComponent(id)}/drill`, { ...params, cell: JSON.stringify(cell) })
}
