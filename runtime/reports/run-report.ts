import { toLabel, type Labels } from '../../metadata/labels'
import type { Report } from '../../metadata/report'
import type { Ctx } from '../context'
import { NotFoundError, TrellisError } from '../errors'
import { canAttempt } from '../permissions'
import { listRecords, type ListInput, type ListResult } from '../records'
import { compileReport } from './compile-report'
import { drillPredicate, parseCell } from './drill-report'
import { reportEnv, type ReportEnv } from './report-env'
import { mayNotRunReport } from './report-refusal-texts'
import { buildReportParts } from './report-parts'
import { shapeReport, type ReportResult } from './shape-report'

/** The published report `id` a caller may run (404 when there is none, 403 without read rights). */
export function requireReport(ctx: Ctx, id: string): Report {
  const report = ctx.meta.reports.get(id)
  if (!report)
    throw new NotFoundError(`No report '${id}'`, [{ path: 'id', message: 'no such report' }])
  if (!canAttempt(ctx, report.entity, 'read')) throw mayNotRunReport(ctx, id, report.entity)
  return report
}

/**
 * Runs a report for the caller: one statement in their read scope, shaped for the API.
 * @example await runReport(ctx, 'sales-by-rep-month', { period: 'lastQuarter' })
 */
export async function runReport(
  ctx: Ctx,
  id: string,
  params: Record<string, string>,
): Promise<ReportResult> {
  const report = requireReport(ctx, id)
  const compiled = compileReport(reportEnv(ctx), report, params)
  const rows = await ctx.db.query<Record<string, unknown>>(compiled.statement)
  return shapeReport(compiled, rows)
}

/** What `drillReport` takes besides the report's parameters: the cell and a page of the list. */
export interface DrillInput extends Pick<ListInput, 'sort' | 'limit' | 'cursor' | 'count'> {
  /** JSON of the cell's keys, e.g. `{"stage":"won"}`; empty: every record of the report. */
  cell?: string
  /** An aggregate measure whose filter narrows the records (the won deals of a win count). */
  measure?: string
}

/**
 * The records behind a report cell, as a page of the source entity's list in the caller's scope.
 * @example await drillReport(ctx, 'opportunity-funnel', {}, { cell: '{"stage":"won"}' })
 */
export async function drillReport(
  ctx: Ctx,
  id: string,
  params: Record<string, string>,
  input: DrillInput,
): Promise<ListResult> {
  const report = requireReport(ctx, id)
  const where = drillPredicate(reportEnv(ctx), report, params, parseCell(input.cell), input.measure)
  const { sort, limit, cursor, count } = input
  return listRecords(ctx, report.entity, { sort, limit, cursor, count, where })
}

/** A report as the list of runnable reports shows it. */
export interface ReportSummary {
  id: string
  label: string
  description?: string
  entity: string
  shape: string
  chart?: Report['chart']
  parameters: {
    id: string
    type: string
    label: string
    default?: unknown
    options?: { value: string; label: string }[]
  }[]
}

/** Whether every field the report reads is readable to the caller. */
function isReadable(env: ReportEnv, report: Report): boolean {
  try {
    buildReportParts(env, report, {})
    return true
  } catch (err) {
    // A hidden field (403), or a report its run would refuse (400): left out of the list, so one
    // report saved before a check existed never takes the others away; its run says why.
    if (err instanceof TrellisError && err.status < 500) return false
    throw err
  }
}

/**
 * The reports the caller may run (a read right on the source, no hidden field read), with the
 * parameters a runner asks for, in the caller's language.
 * @example listReports(ctx, { entity: 'salesOrder' })
 */
export function listReports(ctx: Ctx, filter: { entity?: string } = {}): ReportSummary[] {
  const env = reportEnv(ctx)
  const label = (l: Labels | undefined, fallback = '') => toLabel(l, env.locale, fallback)
  const out: ReportSummary[] = []
  for (const report of ctx.meta.reports.values()) {
    if (filter.entity && report.entity !== filter.entity) continue
    if (!ctx.meta.entities.has(report.entity) || !canAttempt(ctx, report.entity, 'read')) continue
    if (!isReadable(env, report)) continue
    const source = ctx.meta.entities.get(report.entity)!
    out.push({
      id: report.id,
      label: label(report.label, report.id),
      ...(report.description ? { description: label(report.description) } : {}),
      entity: report.entity,
      shape: report.shape ?? 'summary',
      ...(report.chart ? { chart: report.chart } : {}),
      parameters: (report.parameters ?? []).map((p) => {
        const field = p.type === 'select' ? optionsOf(ctx, source.id, p.field) : undefined
        return {
          id: p.id,
          type: p.type,
          label: label(p.label, p.id),
          ...(p.default !== undefined ? { default: p.default } : {}),
          ...(field
            ? { options: field.map((o) => ({ value: o.value, label: label(o.label, o.value) })) }
            : {}),
        }
      }),
    })
  }
  return out.sort((a, b) => a.id.localeCompare(b.id))
}

function optionsOf(ctx: Ctx, entityId: string, path: string) {
  let entity = ctx.meta.entities.get(entityId)
  const names = path.split('.')
  for (const [i, name] of names.entries()) {
    const field = entity?.fields.find((f) => f.name === name)
    if (i === names.length - 1) return field?.options
    entity = field?.entity ? ctx.meta.entities.get(field.entity) : undefined
  }
  return undefined
}
