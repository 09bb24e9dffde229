import type { Entity } from '$metadata/entity'
import type { Field } from '$metadata/field'
import { toLabel, type Locale } from '$metadata/labels'
import { isSortableField } from '$runtime/rules'

/**
 * Whether a list may be sorted by this field: the server's rule (index-backed keys only, so a
 * list stays flat on a million rows), so a header never offers a sort the server refuses.
 */
export function isSortable(entity: Entity, field: Field): boolean {
  return isSortableField(entity, field.name)
}

/** Digits after the point of a decimal without a `scale` (see docs/metadata.md). */
const DECIMAL_SCALE = 4
/** Digits of a computed number without a `scale`: enough for money-like results. */
const FORMULA_SCALE = 2

/** A short, plain-text rendering of a value for lists, history and read-only displays. */
export function formatValue(field: Field | undefined, value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return ''
  switch (field?.type) {
    case 'select':
      return optionLabel(field, String(value), locale)
    case 'multiSelect':
      return Array.isArray(value)
        ? value.map((v) => optionLabel(field, String(v), locale)).join(', ')
        : ''
    case 'money':
      return formatMoneyValue(value, field.currency, locale)
    case 'percent':
      return formatPercent(value, locale, field.scale ?? 2)
    case 'integer':
      return formatNumber(value, locale, 0)
    case 'decimal':
      return formatScaled(value, locale, field.scale, DECIMAL_SCALE)
    case 'formula':
      return formatComputed(field, value, locale)
    case 'boolean':
      return value ? '✓' : '—'
    case 'datetime':
      return new Date(String(value)).toLocaleString(locale)
    case 'richText':
      return toPlainText(String(value))
    case 'attachment':
      return (value as { name?: string }).name ?? ''
    case 'attachments':
      return Array.isArray(value) ? value.map((a: { name?: string }) => a.name).join(', ') : ''
    case 'childTable':
      return Array.isArray(value) ? `${value.length} ×` : ''
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}

/** A formula's value by its result type: numbers (and money results) are rounded, never raw. */
function formatComputed(field: Field, value: unknown, locale: Locale): string {
  if (typeof value === 'object' && value !== null && 'amount' in value)
    return formatMoneyValue(value, field.currency, locale)
  const result: string | undefined = field.resultType
  if (result === 'money') return formatMoneyValue(value, field.currency, locale)
  if (result === 'number' || typeof value === 'number')
    return formatScaled(value, locale, field.scale, FORMULA_SCALE)
  if (result === 'datetime') return formatValue({ ...field, type: 'datetime' }, value, locale)
  if (result === 'boolean') return formatValue({ ...field, type: 'boolean' }, value, locale)
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** Rich text as the words a reader sees: tags dropped, entities of the editor's output decoded. */
function toPlainText(html: string): string {
  return html
    .replace(/<(br|\/p|\/li|\/div)\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

function optionLabel(field: Field, value: string, locale: Locale): string {
  const option = field.options?.find((o) => o.value === value)
  return option ? toLabel(option.label, locale, value) : value
}

/** A number or exact decimal string as Intl input; anything else (not a number) → null. */
function toNumeric(value: unknown): number | string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return value.trim()
  return null
}

// Intl formats a decimal string exactly (no trip through a binary float); the DOM/ES typings
// only list number | bigint, hence the cast.
const format = (nf: Intl.NumberFormat, n: number | string) => nf.format(n as number)

/**
 * A number in the locale's digits, rounded to at most `scale` places (so 28900.879999999997
 * shows as 28,900.88). Not a number → ''.
 * @example formatNumber('1234.5', 'en', 2) // '1,234.5'
 */
export function formatNumber(value: unknown, locale: Locale, scale: number): string {
  const n = toNumeric(value)
  if (n === null) return ''
  return format(new Intl.NumberFormat(locale, { maximumFractionDigits: scale }), n)
}

/** A field's number: a declared scale shows every place (7.50), else at most `fallback` places. */
function formatScaled(value: unknown, locale: Locale, scale: number | undefined, fallback: number) {
  if (scale === undefined) return formatNumber(value, locale, fallback)
  const n = toNumeric(value)
  if (n === null) return ''
  const nf = new Intl.NumberFormat(locale, {
    minimumFractionDigits: scale,
    maximumFractionDigits: scale,
  })
  return format(nf, n)
}

/**
 * An amount in its currency, with the currency's minor digits (CNY 2, KRW 0). Without a valid
 * currency code, the amount with two places.
 * @example formatMoney(5423.999999999999, 'CNY', 'en') // 'CN¥5,424.00'
 */
export function formatMoney(amount: unknown, currency: string | undefined, locale: Locale): string {
  const n = toNumeric(amount)
  if (n === null) return ''
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    return format(new Intl.NumberFormat(locale, { style: 'currency', currency }), n)
  }
  return format(
    new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    n,
  )
}

/** A money value: `{ amount, currency }` (the field's currency when the value names none). */
function formatMoneyValue(value: unknown, fallback: string | undefined, locale: Locale): string {
  if (typeof value === 'object' && value !== null) {
    const m = value as { amount?: unknown; currency?: unknown }
    const currency = typeof m.currency === 'string' && m.currency ? m.currency : fallback
    return formatMoney(m.amount, currency, locale)
  }
  return formatMoney(value, fallback, locale)
}

/**
 * A percent field (stored as 13 for 13 %) in the locale's percent style.
 * @example formatPercent(13, 'en', 2) // '13%'
 */
export function formatPercent(value: unknown, locale: Locale, scale: number): string {
  const n = toNumeric(value)
  if (n === null) return ''
  const nf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: scale })
  return nf.format(Number(n) / 100)
}
