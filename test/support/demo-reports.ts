import { sql } from 'drizzle-orm'
import { expect } from 'vitest'
import type { Ctx, CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { drillReport, listReports, runReport, type ReportResult } from '../../runtime/reports'

/*
 * Checks of the shipped reports over the demo data, run from the demo suite (which installs the
 * demo once): each report answers figures for an administrator, and a sales rep sees only their
 * own deals, in their language, in the report and its drill-down.
 */

/** The reports the shipped modules bring. */
export const SHIPPED_REPORTS = [
  'campaign-results',
  'customer-profile',
  'expenses-by-rep',
  'leave-by-department',
  'lost-deals',
  'opportunity-funnel',
  'product-ranking',
  'receivables-aging',
  'sales-by-rep-month',
  'ticket-sla',
  'visit-analysis',
]

/** A demo user as the runtime sees them after signing in, in `locale`. */
export async function demoUser(db: Db, username: string, locale: string): Promise<CurrentUser> {
  const [row] = await db.query<{ id: string; department_id: string; manager_id: string }>(
    sql`select id, department_id, manager_id from users where username = ${username}`,
  )
  const roles = await db.query<{ role_id: string }>(
    sql`select role_id from user_roles where user_id = ${row.id}`,
  )
  return {
    id: row.id,
    username,
    displayName: username,
    locale,
    isAdmin: false,
    departmentId: row.department_id,
    managerId: row.manager_id,
    roles: roles.map((r) => r.role_id),
  }
}

/** Every date range of the report open (`..`), so every demo date counts. */
function openRanges(ctx: Ctx, id: string): Record<string, string> {
  const report = ctx.meta.reports.get(id)!
  return Object.fromEntries(
    (report.parameters ?? []).filter((p) => p.type === 'dateRange').map((p) => [p.id, '..']),
  )
}

const total = (result: ReportResult, column: string) =>
  result.rows.filter((r) => !r.total).reduce((s, r) => s + Number(r.values[column] ?? 0), 0)

/** Runs every shipped report as the administrator `admin` and the rep `rep`. */
export async function expectShippedReports(admin: Ctx, rep: CurrentUser): Promise<void> {
  expect(listReports(admin).map((r) => r.id)).toEqual(SHIPPED_REPORTS)
  for (const id of SHIPPED_REPORTS) {
    const result = await runReport(admin, id, openRanges(admin, id))
    const measures = result.columns.filter((c) => c.kind === 'measure')
    const figures = result.rows.some((r) => measures.some((c) => Number(r.values[c.id] ?? 0) > 0))
    expect(figures, id).toBe(true)
  }
  const asRep = { ...admin, user: rep }
  const params = openRanges(admin, 'opportunity-funnel')
  const mine = await runReport(asRep, 'opportunity-funnel', params)
  const all = await runReport(admin, 'opportunity-funnel', params)
  expect(mine.label).toBe('销售漏斗')
  expect(Number(mine.totals?.deals)).toBeGreaterThan(0)
  expect(Number(mine.totals?.deals)).toBeLessThan(Number(all.totals?.deals))
  const page = await drillReport(asRep, 'opportunity-funnel', params, { limit: 500 })
  expect(page.data).toHaveLength(Number(mine.totals?.deals))
  expect(page.data.every((r) => r.owner === rep.id)).toBe(true)
  const lost = (ctx: Ctx) => runReport(ctx, 'lost-deals', openRanges(admin, 'lost-deals'))
  expect(total(await lost(asRep), 'deals')).toBeLessThanOrEqual(total(await lost(admin), 'deals'))
}
