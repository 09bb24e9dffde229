import { Hono } from 'hono'
import type { Rule } from '../../metadata/rule'
import { exportCsv } from '../../runtime/io'
import { requireEntity } from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toJsonParam } from '../http/query-params'
import { requestCtx } from '../http/request-ctx'
import { toTextStream } from '../http/text-stream'

const EXPORT_PARAMS = ['filter', 'sort', 'fields'] as const

/** CSV export of an entity's records in the caller's export scope: GET /:entity/export. */
export function exportRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:entity/export', async (c) => {
    const q = readQuery(c, EXPORT_PARAMS)
    const ctx = await requestCtx(c, deps)
    const entity = c.req.param('entity')
    requireEntity(ctx.meta, entity)
    const chunks = exportCsv(ctx, entity, {
      filter: toJsonParam('filter', q.filter) as Rule | undefined,
      sort: q.sort,
      fields: q.fields,
    })
    // Through the context, so the headers set before the route (x-request-id) are kept.
    return c.body(toTextStream(chunks), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${entity}.csv"`,
      'cache-control': 'no-store',
    })
  })
}
