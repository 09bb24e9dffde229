import { Hono } from 'hono'
import { callerDashboard, dashboardKpi } from '../../runtime/dashboards'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

/**
 * The caller's dashboard: GET /api/dashboard (the widgets they may see, or null when no
 * dashboard is for them) and GET /api/dashboard/kpis/:widget (the number of a KPI widget on it).
 */
export function dashboardRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json({ dashboard: callerDashboard(await requestCtx(c, deps)) })
    })
    .get('/kpis/:widget', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await dashboardKpi(await requestCtx(c, deps), c.req.param('widget')))
    })
}
