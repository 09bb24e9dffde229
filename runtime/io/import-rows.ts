import type { Field } from '../../metadata/field'
import type { Ctx } from '../context'
import type { Issue } from '../errors'
import type { EntityPlan, RecordData } from '../records'
import { toCellValue } from './import-cells'
import { toResolved, type LookupTable } from './import-lookups'
import type { ImportMapping } from './import-mapping'
import { targetsWithKey, type ImportChild } from './import-targets'

/** A row of the file as read: its 1-based number (the header is row 0) and its cells. */
export interface SourceRow {
  number: number
  cells: string[]
}

/** Where a looked-up child cell goes: the line's values and its path (`lines[2]`). */
export interface LineSlot {
  values: RecordData
  path: string
}

/**
 * One record on its way from the file: its first data row, and with child columns the rows
 * after it that carry more of its lines.
 */
export interface ImportRow {
  /** 1-based number of the record's first data row (the header is row 0). */
  number: number
  cells: string[]
  input: RecordData
  issues: Issue[]
  /** Cells still to look up: field → text (and the line, for a child field). */
  lookups: [Field, string, LineSlot?][]
  /** The rows after the first that belong to the same record (child rows only). */
  more?: SourceRow[]
  /** Child table → the file row of each of its lines, in line order. */
  lineRows?: Record<string, number[]>
  /** Issues that belong to a later row of the record rather than where their path points. */
  rowOf?: Map<Issue, number>
}

/** One mapped column: the cell at `index` fills `field` (of a child line when `child`). */
export interface PlannedColumn {
  index: number
  field: Field
  currency: boolean
  child: ImportChild | null
}

/** Which cell feeds which field: column index → target, built once per file. */
export interface ColumnPlan {
  columns: PlannedColumn[]
  /** The child tables the mapping fills: rows are then read as records of several rows. */
  children: ImportChild[]
  /** The columns whose cells say which record a row belongs to (see import-groups.ts). */
  group: number[]
}

/**
 * The columns of a file a mapping fills, in file order; `group` as import-setup settles it, `key`
 * the upsert key (an auto-number key's column is read too, see `targetsWithKey`).
 */
export function toColumnPlan(
  plan: EntityPlan,
  headers: string[],
  mapping: ImportMapping,
  group: number[] = [],
  key?: string,
): ColumnPlan {
  const targets = targetsWithKey(plan, key)
  const columns: PlannedColumn[] = []
  const children = new Set<ImportChild>()
  headers.forEach((header, index) => {
    const name = Object.hasOwn(mapping, header) ? mapping[header] : null
    const target = name ? targets.get(name) : undefined
    if (!target) return
    columns.push({ index, ...target })
    if (target.child) children.add(target.child)
  })
  return { columns, children: [...children], group }
}

/** A cell the error file guarded against formulas (`'=…`), as it was before. */
const GUARDED = /^'[=+\-@\t\r]/

/** Text a database column can hold (NUL characters dropped), unguarded. */
function storable(text: string): string {
  const clean = text.includes('\u0000') ? text.replace(/\u0000/g, '') : text
  return GUARDED.test(clean) ? clean.slice(1) : clean
}

/**
 * Converts `cells` of `columns` into `values` (`toCellValue`): empty cells are left out (a new
 * record takes its defaults, an upsert keeps the stored value); problems go to `row` with the
 * field as path, behind `slot`'s path for a line.
 */
function readCells(
  row: ImportRow,
  columns: PlannedColumn[],
  cells: string[],
  values: RecordData,
  slot?: LineSlot,
): void {
  const prefix = slot ? `${slot.path}.` : ''
  const currencies: [string, string][] = []
  for (const { index, field, currency } of columns) {
    const text = cells[index] ?? ''
    if (text.trim() === '') continue
    if (currency) {
      currencies.push([field.name, text.trim().toUpperCase()])
      continue
    }
    const cell = toCellValue(field, text)
    if ('issue' in cell) row.issues.push({ path: prefix + field.name, message: cell.issue })
    else if ('lookup' in cell) row.lookups.push([field, cell.lookup, slot])
    else values[field.name] = cell.value
  }
  for (const [name, code] of currencies) {
    const money = values[name] as { amount: number; currency?: string } | undefined
    if (money) money.currency = code
    else row.issues.push({ path: `${prefix}${name}.currency`, message: 'has no amount beside it' })
  }
}

/**
 * A record's cells as API input. The first row fills the record's fields; with child columns,
 * each of its rows that has a child cell adds one line to that child table (`lines[0]` from the
 * first such row, …), and a later row's record cells must be empty or repeat the first row's.
 * @example toImportRow(columns, 4, ['SO-1', 'ACME', 'Widget', '2'], [{ number: 5, cells: ['SO-1', '', 'Gadget', '1'] }])
 */
export function toImportRow(
  columns: ColumnPlan,
  number: number,
  raw: string[],
  more: SourceRow[] = [],
): ImportRow {
  const cells = raw.map(storable)
  const row: ImportRow = { number, cells, input: {}, issues: [], lookups: [] }
  const own = columns.children.length ? columns.columns.filter((c) => !c.child) : columns.columns
  readCells(row, own, cells, row.input)
  if (!columns.children.length) return row
  row.more = more.map((m) => ({ number: m.number, cells: m.cells.map(storable) }))
  row.lineRows = {}
  for (const source of [{ number, cells }, ...row.more]) {
    if (source.number !== number) checkRepeated(row, own, source)
    for (const child of columns.children) readLine(row, columns, child, source)
  }
  return row
}

/** One line of `child` from a row, when the row has a cell for it. */
function readLine(row: ImportRow, columns: ColumnPlan, child: ImportChild, source: SourceRow) {
  const mine = columns.columns.filter((c) => c.child === child)
  if (mine.every((c) => (source.cells[c.index] ?? '').trim() === '')) return
  const name = child.field.name
  const lines = (row.input[name] ??= []) as RecordData[]
  const values: RecordData = {}
  const slot = { values, path: `${name}[${lines.length}]` }
  lines.push(values)
  ;(row.lineRows![name] ??= []).push(source.number)
  readCells(row, mine, source.cells, values, slot)
}

/** A later row's record cells: each empty or the first row's own text. */
function checkRepeated(row: ImportRow, own: PlannedColumn[], source: SourceRow): void {
  for (const { index, field, currency } of own) {
    const text = (source.cells[index] ?? '').trim()
    if (text === '' || text === (row.cells[index] ?? '').trim()) continue
    const issue = {
      path: currency ? `${field.name}.currency` : field.name,
      message: `'${text}' differs from row ${row.number}, where this record starts`,
    }
    row.issues.push(issue)
    ;(row.rowOf ??= new Map()).set(issue, source.number)
  }
}

/** Fills a row's looked-up cells from the batch's table; an unresolved one is an issue. */
export function applyLookups(ctx: Ctx, row: ImportRow, table: LookupTable): void {
  for (const [field, text, slot] of row.lookups) {
    const resolved = toResolved(ctx, table, field, text)
    if ('id' in resolved) (slot?.values ?? row.input)[field.name] = resolved.id
    else
      row.issues.push({ path: (slot ? `${slot.path}.` : '') + field.name, message: resolved.issue })
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
