import { Hono } from 'hono'
import type { Rule } from '../../metadata/rule'
import { Readable } from 'node:stream'
import { BadRequestError } from '../../runtime/errors'
import { exportCsv, exportXlsx } from '../../runtime/io'
import { requireEntity } from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toJsonParam } from '../http/query-params'
import { requestCtx } from '../http/request-ctx'
import { toTextStream } from '../http/text-stream'

const EXPORT_PARAMS = ['filter', 'sort', 'fields', 'format'] as const

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * Export of an entity's records in the caller's export scope: GET /:entity/export, CSV by
 * default, `format=xlsx` for a workbook headed by the labels in the caller's language.
 */
export function exportRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:entity/export', async (c) => {
    const q = readQuery(c, EXPORT_PARAMS)
    const ctx = await requestCtx(c, deps)
    const entity = c.req.param('entity')
    requireEntity(ctx.meta, entity)
    const format = q.format ?? 'csv'
    if (format !== 'csv' && format !== 'xlsx')
      throw new BadRequestError(`Unknown export format '${format}'`, [
        { path: 'format', message: "must be 'csv' or 'xlsx'" },
      ])
    const input = {
      filter: toJsonParam('filter', q.filter) as Rule | undefined,
      sort: q.sort,
      fields: q.fields,
    }
    const headers = {
      'content-disposition': `attachment; filename="${entity}.${format}"`,
      'cache-control': 'no-store',
    }
    // Through the context, so the headers set before the route (x-request-id) are kept.
    if (format === 'xlsx') {
      const body = Readable.toWeb(exportXlsx(ctx, entity, input)) as ReadableStream<Uint8Array>
      return c.body(body, 200, { ...headers, 'content-type': XLSX_TYPE })
    }
    return c.body(toTextStream(exportCsv(ctx, entity, input)), 200, {
      ...headers,
      'content-type': 'text/csv; charset=utf-8',
    })
  })
}
