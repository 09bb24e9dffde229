import { Hono } from 'hono'
import { BadRequestError } from '../../runtime/errors'
import { requireEntity } from '../../runtime/registry'
import { attachPrint, renderPrint } from '../../runtime/templates'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { readQuery } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
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

/** A text member of the body, or 400 naming it. */
function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined || typeof value === 'string') return value
  throw new BadRequestError(`${name} must be a string`, [
    { path: name, message: 'must be a string' },
  ])
}

/**
 * A record printed through a template: GET /:entity/:id/print/:template?lang=&format=. A PDF
 * from Chromium, or the HTML print view when asked (`format=html`) or when the server prints
 * no PDF (no Chromium, or TRELLIS_CHROMIUM=off). POST the same path with `{ lang?, field? }`
 * to print the PDF and keep it in the record's attachment field (201 { file, field, version }).
 */
export function printRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/:entity/:id/print/:template', async (c) => {
      const body = await readJsonObject(c, { optional: true })
      const unknown = Object.keys(body).find((k) => k !== 'lang' && k !== 'field')
      if (unknown)
        throw new BadRequestError(`Unknown member '${unknown}'`, [
          { path: unknown, message: 'lang and field are the only members' },
        ])
      const ctx = await requestCtx(c, deps)
      const entity = c.req.param('entity')
      requireEntity(ctx.meta, entity, ctx.user?.locale)
      const kept = await attachPrint(ctx, deps.printer, entity, c.req.param('id'), {
        template: c.req.param('template'),
        lang: optionalText(body, 'lang'),
        field: optionalText(body, 'field'),
        timeZone: deps.timeZone ?? 'UTC',
      })
      return c.json(kept, 201)
    })
    .get('/:entity/:id/print/:template', async (c) => {
      const q = readQuery(c, ['lang', 'format'], requestLocale(c))
      const format = toFormat(q.format)
      const ctx = await requestCtx(c, deps)
      const entity = c.req.param('entity')
      requireEntity(ctx.meta, entity, ctx.user?.locale)
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
