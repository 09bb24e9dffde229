import Big from 'big.js'
import { DEFAULT_PLACES, type Field } from '../../metadata/field'
import { toLabel, type Locale } from '../../metadata/labels'
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumeric,
  numberFormat,
  toDecimalText,
  type FormatScope,
} from './format-helpers'

/** The titles a printed value may show: referenced records, users, departments, by id. */
export interface PrintTitles {
  /** entity id → record id → title */
  records: Map<string, Map<string, string>>
  users: Map<string, string>
  departments: Map<string, string>
}

const YES_NO: Record<string, [string, string]> = {
  en: ['Yes', 'No'],
  'zh-CN': ['是', '否'],
  ko: ['예', '아니요'],
}
const LIST_SEPARATOR: Record<string, string> = { en: ', ', 'zh-CN': '、', ko: ', ' }

/** What a printed value needs to know of its field (the whole Field fits). */
export type PrintField = Pick<Field, 'type'> &
  Partial<Pick<Field, 'scale' | 'options' | 'resultType' | 'entity' | 'currency'>>

/**
 * A decimal at the field's places: a declared `scale` is kept to the digit (12.50), without one
 * up to `fallback` places (12.5). Exact: the value is rounded as a decimal, never as a float.
 */
function decimalText(
  value: unknown,
  scope: FormatScope,
  scale: number | undefined,
  fallback: number,
) {
  const text = toDecimalText(value)
  if (text === null) return ''
  const places = scale ?? fallback
  const rounded = new Big(text).round(places, Big.roundHalfUp).toFixed()
  const nf = numberFormat(scope.locale, {
    minimumFractionDigits: scale ?? 0,
    maximumFractionDigits: places,
  })
  return formatNumeric(nf, rounded)
}

/** A stored percent (13 means 13 %) at the field's places, exact. */
function percentText(value: unknown, scope: FormatScope, scale: number | undefined) {
  const text = toDecimalText(value)
  if (text === null) return ''
  const nf = numberFormat(scope.locale, {
    style: 'percent',
    minimumFractionDigits: 0,
    maximumFractionDigits: scale ?? 2,
  })
  return formatNumeric(nf, new Big(text).div(100).toFixed())
}

function optionLabel(field: PrintField, code: unknown, locale: Locale): string {
  const option = field.options?.find((o) => o.value === code)
  return option ? toLabel(option.label, locale, String(code)) : String(code)
}

function titleOf(field: PrintField, value: unknown, titles: PrintTitles): string {
  if (typeof value !== 'string') return ''
  if (field.type === 'user') return titles.users.get(value) ?? ''
  if (field.type === 'department') return titles.departments.get(value) ?? ''
  return titles.records.get(field.entity ?? '')?.get(value) ?? ''
}

/** An attachment's file name (or what it holds, for a URL). */
function fileText(value: unknown): string {
  const one = (v: unknown) =>
    typeof v === 'object' && v !== null && 'name' in v ? String(v.name) : String(v ?? '')
  return Array.isArray(value) ? value.map(one).join(', ') : one(value)
}

/** The computed type a formula prints as. */
function formulaAs(field: PrintField): PrintField {
  const type = field.resultType ?? 'number'
  if (type === 'number') return { ...field, type: 'decimal', scale: field.scale }
  if (type === 'money') return { ...field, type: 'money' }
  return { ...field, type: type === 'boolean' ? 'boolean' : type }
}

/**
 * A field's value as the text a printed document shows in `locale`: numbers and money exact with
 * the locale's separators, dates in the reader's zone, select labels, titles of referenced
 * records, users and departments. A missing value is ''.
 * @example printText({ type: 'money' }, { amount: 1200.5, currency: 'CNY' }, zhScope, 'zh-CN', titles) // '¥1,200.50'
 */
export function printText(
  field: PrintField,
  value: unknown,
  scope: FormatScope,
  locale: Locale,
  titles: PrintTitles,
): string {
  if (value === null || value === undefined || value === '') return ''
  switch (field.type) {
    case 'integer':
      return decimalText(value, scope, 0, 0)
    case 'decimal':
      return decimalText(value, scope, field.scale, DEFAULT_PLACES.decimal)
    case 'percent':
      return percentText(value, scope, field.scale)
    case 'money':
      return typeof value === 'object'
        ? formatMoney(value, scope, field.currency)
        : formatMoney(toDecimalText(value), scope, field.currency)
    case 'boolean':
      return (YES_NO[locale] ?? YES_NO.en)[value === true ? 0 : 1]
    case 'date':
      return formatDate(value, scope)
    case 'datetime':
      return formatDateTime(value, scope)
    case 'select':
      return optionLabel(field, value, locale)
    case 'multiSelect':
      return Array.isArray(value)
        ? value.map((v) => optionLabel(field, v, locale)).join(LIST_SEPARATOR[locale] ?? ', ')
        : ''
    case 'reference':
    case 'user':
    case 'department':
      return titleOf(field, value, titles)
    case 'formula':
      return printText(formulaAs(field), value, scope, locale, titles)
    case 'attachment':
    case 'attachments':
      return fileText(value)
    case 'richText':
      return String(value)
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    case 'json':
      return JSON.stringify(value)
    default:
      return String(value)
  }
}
