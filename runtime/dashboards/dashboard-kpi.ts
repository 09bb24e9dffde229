import { measureInputs, type Report } from '../../metadata/report'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { requireReport, runReport, type ReportColumn, type ReportValue } from '../reports'
import { callerDashboard } from './caller-dashboard'
import { toPreviousPeriod } from './previous-period'

/** A KPI widget's number: the measure over every row its report reads, and the period before. */
export interface KpiValue {
  widget: string
  label: string
  value: ReportValue
  format?: ReportColumn['format']
  valueKind?: ReportColumn['valueKind']
  currency?: string
  /** compare: the parameter value of the period before, and the measure over it. */
  previous?: { period: string; value: ReportValue } | null
}

/** The report cut down to one measure (and what it reads) over all its rows: no groups, no shape. */
function toTotalReport(report: Report, measure: string): Report {
  const keep = new Set([measure])
  const byId = new Map(report.measures.map((x) => [x.id, x]))
  // A ratio reads two other measures (which may be ratios too): keep what it reads.
  for (const id of keep) for (const input of measureInputs(byId.get(id)!)) keep.add(input)
  const { id, label, entity, fiscalYearStart, filter, parameters } = report
  return {
    ...{ id, label, entity, fiscalYearStart, filter, parameters },
    shape: 'summary',
    dimensions: [],
    measures: report.measures.filter((x) => keep.has(x.id)),
  }
}

/** Runs the cut-down report in the caller's scope, under its own id, as `runReport` does. */
async function runTotal(ctx: Ctx, report: Report, params: Record<string, string>) {
  const reports = new Map(ctx.meta.reports).set(report.id, report)
  return runReport({ ...ctx, meta: { ...ctx.meta, reports } }, report.id, params)
}

/**
 * The number a KPI widget of the caller's dashboard shows, in their read scope; with `compare`,
 * also over the period before the report's first date range (its widget value, else its default).
 * @example await dashboardKpi(ctx, 'wonThisMonth') // { value: '125000', previous: { value: … } }
 */
export async function dashboardKpi(ctx: Ctx, widgetId: string): Promise<KpiValue> {
  const widget = callerDashboard(ctx)?.widgets.find((w) => w.id === widgetId && w.kind === 'kpi')
  if (!widget?.report || !widget.measure)
    throw new NotFoundError(`No KPI '${widgetId}' on your dashboard`, [
      { path: 'widget', message: 'no such KPI widget' },
    ])
  const total = toTotalReport(requireReport(ctx, widget.report.id), widget.measure)
  const params = widget.parameters ?? {}
  const result = await runTotal(ctx, total, params)
  const column = result.columns.find((c) => c.id === widget.measure)
  const out: KpiValue = {
    widget: widget.id,
    label: column?.label ?? widget.measure,
    value: result.rows[0]?.values[widget.measure] ?? null,
    format: column?.format,
    valueKind: column?.valueKind,
    ...(column?.currency ? { currency: column.currency } : {}),
  }
  if (!widget.compare) return out
  const range = total.parameters?.find((p) => p.type === 'dateRange')
  const current = range && (params[range.id] ?? (range.default as string | undefined))
  const period = current ? toPreviousPeriod(current, ctx.clock.now()) : null
  if (!range || !period) return { ...out, previous: null }
  const before = await runTotal(ctx, total, { ...params, [range.id]: period })
  return { ...out, previous: { period, value: before.rows[0]?.values[widget.measure] ?? null } }
}
