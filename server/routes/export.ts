import { Hono } from 'hono'
import type { Rule } from '../../metadata/rule'
import { exportTable } from '../../runtime/io'
import { requireEntity } from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { exportBody, toExportFormat } from '../http/export-body'
import { readQuery, toJsonParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

const EXPORT_PARAMS = ['filter', 'sort', 'fields', 'format'] as const

/**
 * Export of an entity's records in the caller's export scope: GET /:entity/export, CSV by
 * default, `format=xlsx` for a workbook; both headed by the labels in the caller's language.
 */
export function exportRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:entity/export', async (c) => {
    const locale = requestLocale(c)
    const q = readQuery(c, EXPORT_PARAMS, locale)
    const ctx = await requestCtx(c, deps)
    const entity = c.req.param('entity')
    requireEntity(ctx.meta, entity, ctx.user?.locale)
    const format = toExportFormat(q.format)
    const table = exportTable(ctx, entity, {
      filter: toJsonParam('filter', q.filter, locale) as Rule | undefined,
      sort: q.sort,
      fields: q.fields,
    })
    return exportBody(c, table, table.name, format, deps.timeZone)
  })
}
