import type { Field } from '$metadata/field'
import { toLabel, type Locale } from '$metadata/labels'

/** Field types whose values are too large or structured to sort a list by. */
const UNSORTABLE = new Set([
  'childTable',
  'json',
  'multiSelect',
  'attachment',
  'attachments',
  'richText',
  'longText',
])

/** Whether a list may be sorted by this field. */
export function isSortable(field: Field): boolean {
  return !UNSORTABLE.has(field.type)
}

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
    case 'money': {
      const m = value as { amount?: number; currency?: string }
      return m.amount == null
        ? ''
        : `${formatNumber(m.amount, locale, 2)} ${m.currency ?? ''}`.trim()
    }
    case 'percent':
      return `${formatNumber(Number(value), locale)}%`
    case 'integer':
    case 'decimal':
      return formatNumber(Number(value), locale)
    case 'boolean':
      return value ? '✓' : '—'
    case 'datetime':
      return new Date(String(value)).toLocaleString(locale)
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

function optionLabel(field: Field, value: string, locale: Locale): string {
  const option = field.options?.find((o) => o.value === value)
  return option ? toLabel(option.label, locale, value) : value
}

function formatNumber(n: number, locale: Locale, digits?: number): string {
  if (!Number.isFinite(n)) return ''
  return n.toLocaleString(locale, digits === undefined ? {} : { minimumFractionDigits: digits })
}
