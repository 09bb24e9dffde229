import type { Field } from '../../metadata/field'
import type { Ctx } from '../context'
import type { Issue } from '../errors'
import type { EntityPlan, RecordData } from '../records'
import { toCellValue } from './import-cells'
import { toResolved, type LookupTable } from './import-lookups'
import type { ImportMapping } from './import-mapping'

/** One data row of a file on its way to a record. */
export interface ImportRow {
  /** 1-based number of the data row (the header is row 0). */
  number: number
  cells: string[]
  input: RecordData
  issues: Issue[]
  /** Cells still to look up: field → text. */
  lookups: [Field, string][]
}

/** Which cell feeds which field: column index → target, built once per file. */
export interface ColumnPlan {
  columns: { index: number; field: Field; currency: boolean }[]
}

/** The columns of a file a mapping fills, in file order. */
export function toColumnPlan(
  plan: EntityPlan,
  headers: string[],
  mapping: ImportMapping,
): ColumnPlan {
  const columns: ColumnPlan['columns'] = []
  headers.forEach((header, index) => {
    const target = Object.hasOwn(mapping, header) ? mapping[header] : null
    if (!target) return
    const currency = target.endsWith('.currency')
    const field = plan.fieldsByName.get(currency ? target.slice(0, -'.currency'.length) : target)
    if (field) columns.push({ index, field, currency })
  })
  return { columns }
}

/** A cell the error file guarded against formulas (`'=…`), as it was before. */
const GUARDED = /^'[=+\-@\t\r]/

/** Text a database column can hold (NUL characters dropped), unguarded. */
function storable(text: string): string {
  const clean = text.includes('\u0000') ? text.replace(/\u0000/g, '') : text
  return GUARDED.test(clean) ? clean.slice(1) : clean
}

/**
 * A row's cells as API input: each mapped non-empty cell converted (`toCellValue`); empty cells
 * are left out (a new record takes its defaults, an upsert keeps the stored value). Problems are
 * collected with the field as path.
 */
export function toImportRow(columns: ColumnPlan, number: number, raw: string[]): ImportRow {
  const cells = raw.map(storable)
  const row: ImportRow = { number, cells, input: {}, issues: [], lookups: [] }
  const currencies: [string, string][] = []
  for (const { index, field, currency } of columns.columns) {
    const text = cells[index] ?? ''
    if (text.trim() === '') continue
    if (currency) {
      currencies.push([field.name, text.trim().toUpperCase()])
      continue
    }
    const cell = toCellValue(field, text)
    if ('issue' in cell) row.issues.push({ path: field.name, message: cell.issue })
    else if ('lookup' in cell) row.lookups.push([field, cell.lookup])
    else row.input[field.name] = cell.value
  }
  for (const [name, code] of currencies) {
    const money = row.input[name] as { amount: number; currency?: string } | undefined
    if (money) money.currency = code
    else row.issues.push({ path: `${name}.currency`, message: 'has no amount beside it' })
  }
  return row
}

/** Fills a row's looked-up cells from the batch's table; an unresolved one is an issue. */
export function applyLookups(ctx: Ctx, row: ImportRow, table: LookupTable): void {
  for (const [field, text] of row.lookups) {
    const resolved = toResolved(ctx, table, field, text)
    if ('id' in resolved) row.input[field.name] = resolved.id
    else row.issues.push({ path: field.name, message: resolved.issue })
  }
}

/** The texts each lookup field must resolve for a batch of rows. */
export function lookupTexts(rows: ImportRow[]): Map<Field, Set<string>> {
  const texts = new Map<Field, Set<string>>()
  for (const row of rows)
    for (const [field, text] of row.lookups) {
      const set = texts.get(field) ?? new Set<string>()
      set.add(text)
      texts.set(field, set)
    }
  return texts
}

/** A row's problems as one line of the error file: `name: is required; phone: …`. */
export function toReason(issues: Issue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
}
