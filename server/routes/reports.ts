import { Hono } from 'hono'
import { exportReportTable } from '../../runtime/io'
import { drillReport, listReports, requireReport, runReport } from '../../runtime/reports'
import type { AppDeps, AppEnv } from '../app-deps'
import { exportBody, toExportFormat } from '../http/export-body'
import { readQuery, toBooleanParam, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

/** Query parameters of a drill-down besides the report's own. */
export const DRILL_PARAMS = ['cell', 'measure', 'sort', 'limit', 'cursor', 'count'] as const

/** The values of the report's declared parameters among the query parameters. */
function reportParams(query: Record<string, string>, ids: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([name]) => ids.includes(name)))
}

/**
 * Reports: GET /api/reports (the runnable ones), GET /:id/run (rows with labels) and
 * GET /:id/drill (the records of a cell, paged like a list) and GET /:id/export?format=csv|xlsx
 * (the run's table as a file).
 */
export function reportRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const q = readQuery(c, ['entity'], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      return c.json({ data: listReports(ctx, { entity: q.entity }) })
    })
    .get('/:id/run', async (c) => {
      const ctx = await requestCtx(c, deps)
      const report = requireReport(ctx, c.req.param('id'))
      const ids = (report.parameters ?? []).map((p) => p.id)
      const q = readQuery(c, ids, requestLocale(c))
      return c.json(await runReport(ctx, report.id, reportParams(q, ids)))
    })
    .get('/:id/export', async (c) => {
      const ctx = await requestCtx(c, deps)
      const report = requireReport(ctx, c.req.param('id'))
      const ids = (report.parameters ?? []).map((p) => p.id).filter((id) => id !== 'format')
      const q = readQuery(c, [...ids, 'format'], requestLocale(c))
      const format = toExportFormat(q.format)
      const table = await exportReportTable(ctx, report.id, reportParams(q, ids))
      return exportBody(c, table, table.name, format, deps.timeZone)
    })
    .get('/:id/drill', async (c) => {
      const ctx = await requestCtx(c, deps)
      const report = requireReport(ctx, c.req.param('id'))
      const ids = (report.parameters ?? []).map((p) => p.id)
      const own = ids.filter((id) => !(DRILL_PARAMS as readonly string[]).includes(id))
      const locale = requestLocale(c)
      const q = readQuery(c, [...own, ...DRILL_PARAMS], locale)
      const page = await drillReport(ctx, report.id, reportParams(q, own), {
        cell: q.cell,
        measure: q.measure,
        sort: q.sort,
        limit: toPositiveIntParam('limit', q.limit, locale),
        cursor: q.cursor,
        count: toBooleanParam('count', q.count, locale),
      })
      return c.json(page)
    })
}
