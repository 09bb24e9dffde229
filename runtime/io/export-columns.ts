import type { Field } from '../../metadata/field'
import { LOCALES, toLabel, type Labels, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { BadRequestError, ForbiddenError } from '../errors'
import { fieldWords, hiddenFields } from '../permissions'
import type { EntityPlan } from '../records'
import { fieldCells, guardFormula, type CellField } from './csv-cells'
import type { ExportTitles } from './export-titles'
import type { DateKind } from './xlsx-dates'

/** System keys an export may name; always readable. */
const SYSTEM_KEYS = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy']

/** Words an export writes itself, in the reader's language. */
export const EXPORT_WORDS: Record<string, Labels> = {
  id: { en: 'ID', 'zh-CN': 'ID', ko: 'ID' },
  version: { en: 'Version', 'zh-CN': '版本', ko: '버전' },
  createdAt: { en: 'Created at', 'zh-CN': '创建时间', ko: '생성 시각' },
  updatedAt: { en: 'Updated at', 'zh-CN': '更新时间', ko: '수정 시각' },
  createdBy: { en: 'Created by', 'zh-CN': '创建人', ko: '생성자' },
  updatedBy: { en: 'Updated by', 'zh-CN': '更新人', ko: '수정자' },
  currency: { en: 'currency', 'zh-CN': '币种', ko: '통화' },
  hidden: { en: 'Hidden', 'zh-CN': '无权查看', ko: '볼 수 없음' },
  yes: { en: 'Yes', 'zh-CN': '是', ko: '예' },
  no: { en: 'No', 'zh-CN': '否', ko: '아니요' },
  total: { en: 'Total', 'zh-CN': '合计', ko: '합계' },
}

const NUMERIC_TYPES = new Set(['integer', 'decimal', 'percent', 'money'])
const SYSTEM_USERS = new Set(['createdBy', 'updatedBy'])

/**
 * One exported field: its header cells (labels in the reader's language), which of them hold
 * numbers, and how a record's value becomes cells once the page's titles are known.
 */
export interface ExportColumn {
  name: string
  /** The field (a system key: a text, or a user for createdBy / updatedBy). */
  field: CellField & Partial<Pick<Field, 'entity'>>
  labels: string[]
  numeric: boolean[]
  /** Which header cells hold days or instants. */
  dates: DateKind[]
  cells(value: unknown, titles: ExportTitles): string[]
}

/** The language an export is written in: the caller's, when the metadata knows it. */
export function exportLocale(ctx: Pick<Ctx, 'user'>): Locale {
  const wanted = ctx.user?.locale
  return (LOCALES as readonly string[]).includes(wanted ?? '') ? (wanted as Locale) : 'en'
}

function isNumeric(field: CellField): boolean {
  if (field.type === 'formula') return field.resultType === 'number' || field.resultType === 'money'
  return NUMERIC_TYPES.has(field.type)
}

/** A value the reader sees as a title: the referenced record's, a user's or a department's. */
function titleCell(
  field: ExportColumn['field'],
  value: unknown,
  titles: ExportTitles,
  locale: Locale,
) {
  if (value === null || value === undefined || value === '') return ''
  const id = String(value)
  const found =
    field.type === 'user'
      ? titles.users.get(id)
      : field.type === 'department'
        ? titles.departments.get(id)
        : titles.records.get(field.entity ?? '')?.get(id)
  // Never the id: a record the reader may not read (or whose title is hidden) shows as hidden.
  return guardFormula(found ?? toLabel(EXPORT_WORDS.hidden, locale))
}

/** The cells of one value as the reader sees it. */
function valueCells(
  field: ExportColumn['field'],
  value: unknown,
  titles: ExportTitles,
  locale: Locale,
): string[] {
  switch (field.type) {
    case 'reference':
    case 'user':
    case 'department':
      return [titleCell(field, value, titles, locale)]
    case 'boolean':
      if (typeof value !== 'boolean') return ['']
      return [toLabel(value ? EXPORT_WORDS.yes : EXPORT_WORDS.no, locale)]
    case 'attachment':
    case 'attachments': {
      const files = (Array.isArray(value) ? value : value ? [value] : []) as { name?: unknown }[]
      return [guardFormula(files.map((f) => String(f?.name ?? '')).join(';'))]
    }
    default:
      return fieldCells(field, value, locale)
  }
}

function dateKind(field: CellField): DateKind {
  if (field.type === 'date' || field.type === 'datetime') return field.type
  if (field.type !== 'formula') return undefined
  return field.resultType === 'date' || field.resultType === 'datetime'
    ? field.resultType
    : undefined
}

function columnOf(name: string, field: ExportColumn['field'], label: string, locale: Locale) {
  const money = field.type === 'money'
  const currency = toLabel(EXPORT_WORDS.currency, locale)
  return {
    name,
    field,
    labels: money ? [label, `${label} (${currency})`] : [label],
    numeric: money ? [true, false] : [isNumeric(field)],
    dates: money ? [undefined, undefined] : [dateKind(field)],
    cells: (value: unknown, titles: ExportTitles) => valueCells(field, value, titles, locale),
  }
}

function systemColumn(name: string, locale: Locale): ExportColumn {
  const type = SYSTEM_USERS.has(name)
    ? 'user'
    : name === 'version'
      ? 'integer'
      : name === 'createdAt' || name === 'updatedAt'
        ? 'datetime'
        : 'text'
  const field: CellField = { type }
  return columnOf(name, field, toLabel(EXPORT_WORDS[name], locale, name), locale)
}

/**
 * The columns of an export: `fields` (comma-separated) or every readable field, headed
 * by their labels in the caller's language. An unknown or child-table field → 400 naming
 * `fields`; an unreadable one → 403 naming it.
 * @example exportColumns(ctx, plan, 'name,revenue').flatMap((c) => c.labels) // ['Name', 'Revenue', 'Revenue (currency)']
 */
export function exportColumns(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  plan: EntityPlan,
  fields: string | undefined,
): ExportColumn[] {
  const hidden = hiddenFields(ctx, plan.entity.id)
  const locale = exportLocale(ctx)
  const exportable = plan.entity.fields.filter((f) => f.type !== 'childTable')
  const fieldColumn = (f: Field) => columnOf(f.name, f, toLabel(f.label, locale, f.name), locale)
  // A reader's file holds what the reader reads: no id column (nothing imports by id; a caller
  // who wants it names it in `fields`).
  if (fields === undefined || fields.trim() === '')
    return exportable.filter((f) => !hidden?.has(f.name)).map(fieldColumn)
  const names = fields.split(',').map((n) => n.trim())
  const byName = new Map(exportable.map((f) => [f.name, f]))
  const unknown = names.filter((n) => !byName.has(n) && !SYSTEM_KEYS.includes(n))
  const repeated = names.filter((n, i) => names.indexOf(n) !== i)
  if (unknown.length || repeated.length) {
    const issues = [
      ...unknown.map((n) => ({ path: 'fields', message: `unknown field '${n}'` })),
      ...repeated.map((n) => ({ path: 'fields', message: `field '${n}' appears twice` })),
    ]
    throw new BadRequestError(`Invalid fields: ${issues[0].message}`, issues)
  }
  const refused = names.filter((n) => hidden?.has(n))
  if (refused.length) {
    const w = fieldWords(ctx.user?.locale, ctx.meta.entities)
    const named = (n: string) => ({ field: w.field(plan.entity.id, n) })
    throw new ForbiddenError(
      w.text('mayNotExport', named(refused[0])),
      refused.map((n) => ({ path: 'fields', message: w.text('notReadable', named(n)) })),
    )
  }
  return names.map((n) => {
    const field = byName.get(n)
    return field ? fieldColumn(field) : systemColumn(n, locale)
  })
}
