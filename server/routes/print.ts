import { Hono } from 'hono'
import { BadRequestError } from '../../runtime/errors'
import { requireEntity } from '../../runtime/registry'
import { renderPrint } from '../../runtime/templates'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery } from '../http/query-params'
import { requestCtx } from '../http/request-ctx'

/** The HTML print view runs no script and fetches nothing: only its inline CSS and data: images. */
const PRINT_VIEW_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

function toFormat(value: string | undefined): 'pdf' | 'html' | undefined {
  if (value === undefined || value === 'pdf' || value === 'html') return value
  throw new BadRequestError(`Unknown print format '${value}'`, [
    { path: 'format', message: 'pdf or html' },
  ])
}

/**
 * A record printed through a template: GET /:entity/:id/print/:template?lang=&format=. A PDF
 * from Chromium, or the HTML print view when asked (`format=html`) or when the server prints
 * no PDF (no Chromium, or TRELLIS_CHROMIUM=off).
 */
export function printRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:entity/:id/print/:template', async (c) => {
    const q = readQuery(c, ['lang', 'format'])
    const format = toFormat(q.format)
    const ctx = await requestCtx(c, deps)
    const entity = c.req.param('entity')
    requireEntity(ctx.meta, entity)
    const print = await renderPrint(ctx, entity, c.req.param('id'), {
      template: c.req.param('template'),
      lang: q.lang,
      timeZone: deps.timeZone ?? 'UTC',
    })
    const headers = { 'cache-control': 'no-store', 'content-language': print.locale }
    if (format === 'html' || !deps.printer) {
      return c.body(print.html, 200, {
        ...headers,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PRINT_VIEW_POLICY,
        'content-disposition': `inline; filename="${print.fileName}.html"`,
      })
    }
    const pdf = await deps.printer.print(print.html, print.template.paper, print.locale)
    return c.body(pdf, 200, {
      ...headers,
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${print.fileName}.pdf"`,
    })
  })
}
