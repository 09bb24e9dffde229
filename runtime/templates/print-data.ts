import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import { toLabel, type Locale } from '../../metadata/labels'
import { SYSTEM_KEY_TYPES } from '../../metadata/system-fields'
import type { Template } from '../../metadata/template'
import { RAW_KEY, REF_KEY } from '../../metadata/template-references'
import type { Ctx } from '../context'
import type { RecordData } from '../records'
import { formatDate, formatDateTime, type FormatScope } from './format-helpers'
import { printText, type PrintField, type PrintTitles } from './print-text'
import { collectTargets, emptyTargets, loadPrintTitles } from './print-titles'

/** A record or row as a template sees it: text by field, raw values, included references. */
export type PrintDoc = Record<string, unknown>

/** Where the data of one print is read and how it is shown. */
export interface PrintScope extends FormatScope {
  locale: Locale
}

interface Builder {
  ctx: Ctx
  scope: PrintScope
  titles: PrintTitles
  records: Map<string, Map<string, RecordData>>
  /** '' → the record's includes; a child table → its rows' includes */
  includes: Map<string, string[]>
}

/** `customer` → ['', 'customer']; `lines.product` → ['lines', 'product']. */
function includesOf(template: Template): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const path of template.include ?? []) {
    const [first, second] = path.split('.')
    const [key, field] = second === undefined ? ['', first] : [first, second]
    out.set(key, [...(out.get(key) ?? []), field])
  }
  return out
}

/** One record or row as text in the reader's language, with its raw values and includes. */
function toDoc(
  b: Builder,
  entity: Entity,
  record: RecordData,
  includeKey: string | null,
): PrintDoc {
  const doc: PrintDoc = { [RAW_KEY]: record }
  for (const [key, type] of Object.entries(SYSTEM_KEY_TYPES))
    doc[key] = printText({ type } as PrintField, record[key], b.scope, b.scope.locale, b.titles)
  for (const field of entity.fields) {
    const value = record[field.name]
    if (field.type !== 'childTable') {
      doc[field.name] = printText(field, value, b.scope, b.scope.locale, b.titles)
      continue
    }
    const child = b.ctx.meta.entities.get(field.entity ?? '')
    const rows = Array.isArray(value) && child ? (value as RecordData[]) : []
    // A row prints its number in the table: 1, 2, … in the rows' order.
    doc[field.name] = rows.map((row, i) =>
      Object.assign(toDoc(b, child as Entity, row, field.name), { position: String(i + 1) }),
    )
  }
  const refs: Record<string, PrintDoc | null> = {}
  for (const name of includeKey === null ? [] : (b.includes.get(includeKey) ?? [])) {
    const field = entity.fields.find((f) => f.name === name)
    const target = b.ctx.meta.entities.get(field?.entity ?? '')
    const found = b.records.get(target?.id ?? '')?.get(String(record[name]))
    refs[name] = target && found ? toDoc(b, target, found, null) : null
  }
  doc[REF_KEY] = refs
  return doc
}

/** Field labels in the reader's language for the record's entity, its rows and includes. */
function labelsOf(ctx: Ctx, entity: Entity, template: Template, locale: Locale) {
  const ids = new Set([entity.id])
  for (const field of entity.fields)
    if (field.type === 'childTable' && field.entity) ids.add(field.entity)
  for (const path of template.include ?? []) {
    const [first, second] = path.split('.')
    const holder =
      second === undefined
        ? entity
        : ctx.meta.entities.get(entity.fields.find((f) => f.name === first)?.entity ?? '')
    const target = holder?.fields.find((f) => f.name === (second ?? first))?.entity
    if (target) ids.add(target)
  }
  const labels: Record<string, Record<string, string>> = {}
  for (const id of ids) {
    const e = ctx.meta.entities.get(id)
    if (!e) continue
    labels[id] = Object.fromEntries(e.fields.map((f) => [f.name, toLabel(f.label, locale)]))
  }
  return labels
}

/** The first currency of a money value on the record or its rows: what its totals are in. */
function currencyOf(entity: Entity, record: RecordData, ctx: Ctx): string | null {
  for (const field of entity.fields) {
    const value = record[field.name] as { currency?: unknown } | RecordData[] | null
    if (field.type === 'money' && value && !Array.isArray(value) && value.currency)
      return String(value.currency)
    if (field.type === 'money' && field.currency) return field.currency
    const child = field.type === 'childTable' && ctx.meta.entities.get(field.entity ?? '')
    for (const row of child && Array.isArray(value) ? value : []) {
      const found = currencyOf(child as Entity, row, ctx)
      if (found) return found
    }
  }
  return null
}

/** The printing user's company: the nearest company above their department, else the first. */
async function companyOf(ctx: Ctx): Promise<{ name: string } | null> {
  const department = ctx.user?.departmentId ?? null
  const rows = await ctx.db.query<{ name: string }>(sql`
    select d.name from departments d
    left join department_closure c on c.ancestor_id = d.id and c.descendant_id = ${department}::uuid
    where d.kind = 'company'
    order by c.depth asc nulls last, d.sort_order, d.created_at limit 1`)
  return rows[0] ? { name: rows[0].name } : null
}

/**
 * Everything a print template sees, for one record the caller may read, in their language:
 * `record` (text by field, `_raw` values, `_ref` includes, child rows), `labels`, `company`,
 * `user`, `printedAt`, `today`, `now`, `locale`, `currency`, `template`. Keys match
 * TEMPLATE_DATA_KEYS of metadata/template-references.ts.
 */
export async function buildPrintData(
  ctx: Ctx,
  template: Template,
  entity: Entity,
  record: RecordData,
  scope: PrintScope,
): Promise<Record<string, unknown>> {
  const targets = emptyTargets()
  collectTargets(entity, record, targets)
  for (const field of entity.fields) {
    const child = field.type === 'childTable' && ctx.meta.entities.get(field.entity ?? '')
    const rows = record[field.name]
    if (child && Array.isArray(rows)) for (const row of rows) collectTargets(child, row, targets)
  }
  const { titles, records } = await loadPrintTitles(ctx, targets)
  const builder: Builder = { ctx, scope, titles, records, includes: includesOf(template) }
  const now = ctx.clock.now()
  return {
    record: toDoc(builder, entity, record, ''),
    labels: labelsOf(ctx, entity, template, scope.locale),
    company: await companyOf(ctx),
    user: { name: ctx.user?.displayName ?? '', username: ctx.user?.username ?? '' },
    printedAt: formatDateTime(now.toISOString(), scope),
    today: formatDate(now.toISOString(), scope),
    now: now.toISOString(),
    locale: scope.locale,
    currency: currencyOf(entity, record, ctx),
    template: { id: template.id, label: toLabel(template.label, scope.locale) },
  }
}
