import { BadRequestError } from '../errors'
import type { UpsertKey } from './import-key'
import type { ImportMapping } from './import-mapping'
import type { ColumnPlan, SourceRow } from './import-rows'
import { readRows, type ImportFormat } from './import-source'

/** A record's rows as read from the file: the first, and the ones that carry more of its lines. */
export interface SourceRecord {
  head: SourceRow
  more: SourceRow[]
}

const blank = (text: string | undefined) => (text ?? '').trim() === ''

/**
 * The columns that say which record a row belongs to when the file fills child tables: the
 * `group` column when one is named, else the upsert key's columns, else none (a row whose
 * record cells are all empty then continues the record above). 400 naming `group` when it is
 * not a header of the file or the mapping fills no child table.
 */
export function toGroupColumns(
  headers: string[],
  mapping: ImportMapping,
  columns: ColumnPlan,
  key: UpsertKey | null,
  group: string | undefined,
): number[] {
  if (group !== undefined) {
    const index = headers.indexOf(group)
    if (index < 0)
      throw new BadRequestError(`The group column '${group}' is not in the file`, [
        { path: 'group', message: 'is not a column of the file' },
      ])
    if (!columns.children.length)
      throw new BadRequestError('Grouping rows needs a child table column', [
        { path: 'group', message: "groups a record's lines: map a column to a child table field" },
      ])
    return [index]
  }
  if (!key || !columns.children.length) return []
  return headers.flatMap((h, i) => (key.fields.includes(mapping[h] ?? '') ? [i] : []))
}

/** The text of a row's group cells, or null when they are all empty. */
function groupText(group: number[], cells: string[]): string | null {
  const texts = group.map((i) => (cells[i] ?? '').trim())
  return texts.every((t) => t === '') ? null : JSON.stringify(texts)
}

/**
 * Whether `row` carries more of the record `head` starts: never without child columns; with
 * group columns, when its group cells are empty or repeat the head's exactly; else when every
 * cell it has for the record's own fields is empty.
 */
export function continuesRecord(columns: ColumnPlan, head: SourceRow, row: SourceRow): boolean {
  if (!columns.children.length) return false
  if (columns.group.length) {
    const text = groupText(columns.group, row.cells)
    return text === null || text === groupText(columns.group, head.cells)
  }
  return columns.columns.every((c) => c.child || blank(row.cells[c.index]))
}

/**
 * The file's records after data row `after` (a resumed run's progress, always a record's last
 * row): one row each, or with child columns each record's consecutive rows. `count()` is how
 * many data rows were read, skipped ones included: the file's total once the records are done.
 * @example const reader = readRecords(path, 'csv', columns); for await (const r of reader.records) …
 */
export function readRecords(
  path: string,
  format: ImportFormat,
  columns: ColumnPlan,
  after = 0,
): { records: AsyncGenerator<SourceRecord>; count(): number } {
  let count = 0
  async function* records(): AsyncGenerator<SourceRecord> {
    let number = -1
    let open: SourceRecord | null = null
    for await (const cells of readRows(path, format)) {
      if (++number === 0) continue
      count = number
      if (number <= after) continue
      const row = { number, cells }
      if (open && continuesRecord(columns, open.head, row)) {
        open.more.push(row)
        continue
      }
      if (open) yield open
      open = { head: row, more: [] }
    }
    if (open) yield open
  }
  return { records: records(), count: () => count }
}
