import type { Field } from '../../metadata/field'

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

/** The cell texts of one field's value: money gives amount and currency, multiSelect joins. */
export function fieldCells(field: Pick<Field, 'type'>, value: unknown): string[] {
  if (field.type === 'money') {
    const money = value as { amount?: unknown; currency?: unknown } | null | undefined
    return [cellText(money?.amount ?? null), cellText(money?.currency ?? null)]
  }
  if (field.type === 'multiSelect' && Array.isArray(value)) return [cellText(value.join(';'))]
  if (field.type === 'json' && value !== null && value !== undefined)
    return [guardFormula(JSON.stringify(value))]
  return [cellText(value)]
}
