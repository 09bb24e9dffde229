import { sql } from 'drizzle-orm'
import { LOCALES, type Locale } from '../../metadata/labels'
import type { Template } from '../../metadata/template'
import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { canAttempt, scopePredicate } from '../permissions'
import { entityPlan, getRecord } from '../records'
import { pickTemplate } from './pick-template'
import { buildPrintData } from './print-data'
import { buildPrintHtml } from './print-html'
import { mayNotPrint, noPrintTemplate, printWords } from './print-refusal-texts'
import { renderTemplate } from './render-template'

/** What to print: a template of the record's entity, in a language, at a time zone. */
export interface PrintInput {
  template: string
  /** en, zh-CN or ko; default the caller's language (else English). */
  lang?: string
  timeZone: string
}

/** A print as an HTML document, with what a PDF of it needs. */
export interface RenderedPrint {
  html: string
  template: Template
  locale: Locale
  /** `quote-print-Q-2026-0001`: ASCII, without extension. */
  fileName: string
  /** `报价单 Q-2026-0001`: the template's label and the record's title, in the print's language. */
  title: string
}

/** Longest rendered body (characters): a long quote is far below it. */
const MAX_PRINT_OUTPUT = 2 * 1024 * 1024

/** The template named, when it prints records of `entityId`; else a 404 naming it. */
export function requirePrintTemplate(ctx: Ctx, entityId: string, templateId: string): Template {
  const template = ctx.meta.templates.get(templateId)
  if (template && template.entity === entityId) return template
  throw noPrintTemplate(ctx, entityId, templateId)
}

function toLocale(ctx: Ctx, entityId: string, lang: string | undefined): Locale {
  const wanted = lang ?? ctx.user?.locale ?? 'en'
  if ((LOCALES as readonly string[]).includes(wanted)) return wanted as Locale
  if (lang === undefined) return 'en'
  const w = printWords(ctx, entityId)
  throw new BadRequestError(w('unknownLanguage', { lang }), [
    { path: 'lang', message: w('unknownLanguageField', { locales: LOCALES.join(', ') }) },
  ])
}

/** Refuses a caller without the print right on the entity, or on this record (403). */
async function assertPrintable(ctx: Ctx, entityId: string, id: string): Promise<void> {
  const refuse = () => mayNotPrint(ctx, entityId)
  if (!canAttempt(ctx, entityId, 'print')) throw refuse()
  const scope = scopePredicate(ctx, entityId, 'print', { alias: 't' })
  if (!scope) return
  const plan = entityPlan(ctx.meta, entityId)
  const rows = await ctx.db.query(
    sql`select 1 from ${plan.table} t where t.id = ${id}::uuid and ${scope}`,
  )
  if (!rows.length) throw refuse()
}

const toAscii = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '')

/**
 * Renders a record through a print template to a whole HTML document: the record must be one
 * the caller may read (else 404, like reading it) and print (else 403), the template one of its
 * entity (else 404 naming it). Hidden fields, and titles of records the caller may not read,
 * are never in the data.
 * @example const { html } = await renderPrint(ctx, 'quote', id, { template: 'quote-print', lang: 'zh-CN', timeZone: 'Asia/Shanghai' })
 */
export async function renderPrint(
  ctx: Ctx,
  entityId: string,
  id: string,
  input: PrintInput,
): Promise<RenderedPrint> {
  const template = requirePrintTemplate(ctx, entityId, input.template)
  const wanted = toLocale(ctx, entityId, input.lang)
  const record = await getRecord(ctx, entityId, id)
  await assertPrintable(ctx, entityId, id)
  const entity = entityPlan(ctx.meta, entityId).entity
  const picked = pickTemplate(template.body, wanted) ?? { locale: 'en', template: template.body.en }
  const locale = picked.locale as Locale
  const scope = { locale, timeZone: input.timeZone }
  const data = await buildPrintData(ctx, template, entity, record, scope)
  const body = renderTemplate(picked.template, data, {
    ...scope,
    format: 'html',
    maxOutput: MAX_PRINT_OUTPUT,
  })
  const title = String(record[entity.titleField ?? 'id'] ?? id)
  const label = (data.template as { label: string }).label
  return {
    html: buildPrintHtml(template, body, locale, `${label} ${title}`),
    title: `${label} ${title}`,
    template,
    locale,
    fileName: [template.id, toAscii(title)].filter(Boolean).join('-'),
  }
}
