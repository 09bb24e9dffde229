import Big from 'big.js'
import { DEFAULT_PLACES, type Field } from '../../metadata/field'
import { toLabel, type Locale } from '../../metadata/labels'

/** Characters that make a spreadsheet read a cell as a formula (plus tab and CR, per OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/** A text cell made inert for spreadsheets: a leading = + - @ (tab, CR) gets a `'` before it. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break. */
export function escapeCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV line of already formatted cells, CRLF-terminated. */
export function csvLine(cells: string[]): string {
  return `${cells.map(escapeCell).join(',')}\r\n`
}

/** A value as cell text: numbers and booleans plain, strings guarded, objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return guardFormula(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return guardFormula(JSON.stringify(value))
}

/** What a cell needs to know of its field (the whole Field fits). */
export type CellField = Pick<Field, 'type'> &
  Partial<Pick<Field, 'scale' | 'options' | 'resultType'>>

/**
 * A number as exact decimal text at most `scale` places, no exponent: a binary float is first
 * cut to the 15 significant digits it holds, so 28900.879999999997 is written 28900.88.
 * @example numberCell(5423.999999999999, 2) // '5424'
 */
export function numberCell(value: unknown, scale: number): string {
  if (value === null || value === undefined || value === '') return ''
  let n: Big
  try {
    n = typeof value === 'number' ? new Big(value.toPrecision(15)) : new Big(String(value))
  } catch {
    return cellText(value)
  }
  return n.round(scale, Big.roundHalfUp).toFixed()
}

/**
 * The cell texts of one field's value: numbers exact at the field's scale, money as amount and
 * currency, selects as their labels in `locale` (multi-selects joined with `;`), json as text.
 */
export function fieldCells(field: CellField, value: unknown, locale: Locale = 'en'): string[] {
  const label = (code: unknown) => {
    const option = field.options?.find((o) => o.value === code)
    return option ? toLabel(option.label, locale, String(code)) : String(code)
  }
  switch (field.type) {
    case 'money': {
      const money = value as { amount?: unknown; currency?: unknown } | null | undefined
      return [numberCell(money?.amount ?? null, 2), cellText(money?.currency ?? null)]
    }
    case 'integer':
      return [numberCell(value, 0)]
    case 'decimal':
    case 'percent':
      return [numberCell(value, field.scale ?? DEFAULT_PLACES[field.type])]
    case 'formula':
      return [formulaCell(field, value)]
    case 'select':
      return [value === null || value === undefined ? '' : guardFormula(label(value))]
    case 'multiSelect':
      return Array.isArray(value) ? [guardFormula(value.map(label).join(';'))] : [cellText(value)]
    case 'json':
      return [value === null || value === undefined ? '' : guardFormula(JSON.stringify(value))]
    default:
      return [cellText(value)]
  }
}

/** A computed value: numbers (and money results' amounts) exact at the field's scale. */
function formulaCell(field: CellField, value: unknown): string {
  const result: string | undefined = field.resultType
  if (value !== null && typeof value === 'object' && 'amount' in value)
    return numberCell((value as { amount: unknown }).amount, field.scale ?? 2)
  if (typeof value === 'number' || result === 'number' || result === 'money') {
    const scale =
      field.scale ?? (result === 'money' ? DEFAULT_PLACES.money : DEFAULT_PLACES.formula)
    return numberCell(value, scale)
  }
  return cellText(value)
}
