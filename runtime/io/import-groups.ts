import { BadRequestError } from '../errors'
import type { UpsertKey } from './import-key'
import type { ImportMapping } from './import-mapping'
import { importWords } from './import-refusal-texts'
import type { ColumnPlan, SourceRow } from './import-rows'

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
 * not a header of the file or the mapping fills no child table, in `locale` (the caller's).
 */
export function toGroupColumns(
  headers: string[],
  mapping: ImportMapping,
  columns: ColumnPlan,
  key: UpsertKey | null,
  group: string | undefined,
  locale?: string,
): number[] {
  const w = importWords(locale).text
  if (group !== undefined) {
    const index = headers.indexOf(group)
    if (index < 0)
      throw new BadRequestError(w('groupNotInFile', { group }), [
        { path: 'group', message: w('notColumn') },
      ])
    if (!columns.children.length)
      throw new BadRequestError(w('groupNeedsChild'), [
        { path: 'group', message: w('groupNeedsChildField') },
      ])
    return [index]
  }
  if (!key || !columns.children.length) return []
  // An empty auto-number starts a new record: it cannot also mean "the record above".
  if (key.autoNumber)
    throw new BadRequestError(w('groupRequired'), [
      { path: 'group', message: w('groupRequiredField') },
    ])
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

/** Turns a file's rows, in order, into records (see `continuesRecord`). */
export interface RecordGrouper {
  /** Takes the next row; answers the record it completes (without child columns, its own). */
  push(row: SourceRow): SourceRecord | null
  /** The last record, once every row was pushed. */
  end(): SourceRecord | null
}

/**
 * A grouper for a file's rows: without child columns each row is its record at once (nothing
 * held back), with them a record is answered when the row after it starts the next one. A
 * synchronous step, so the reading loop pays no extra await per row.
 * @example const record = recordGrouper(columns).push({ number: 1, cells })
 */
export function recordGrouper(columns: ColumnPlan): RecordGrouper {
  let open: SourceRecord | null = null
  return {
    push(row) {
      if (!columns.children.length) return { head: row, more: [] }
      if (open && continuesRecord(columns, open.head, row)) {
        open.more.push(row)
        return null
      }
      const done = open
      open = { head: row, more: [] }
      return done
    },
    end() {
      const done = open
      open = null
      return done
    },
  }
}
