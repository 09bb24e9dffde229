import type { Issue } from '../errors'
import { toReason, type ImportRow, type SourceRow } from './import-rows'

/** The number of a record's last file row. */
export function lastRowOf(row: ImportRow): number {
  return row.more?.length ? row.more[row.more.length - 1].number : row.number
}

/** A record's file rows, first to last. */
export function sourceRowsOf(row: ImportRow): SourceRow[] {
  return [{ number: row.number, cells: row.cells }, ...(row.more ?? [])]
}

/** `lines[2].product` → `['lines', 2]`; null for a path that names no line. */
function linePath(path: string): [string, number] | null {
  const m = /^([A-Za-z_][\w]*)\[(\d+)\]/.exec(path)
  return m ? [m[1], Number(m[2])] : null
}

/**
 * A record's issues by the file row they belong to: a line's (`lines[2].quantity`) to the row
 * that carried the line, a repeated cell's to its row, the rest to the record's first row.
 */
export function issuesByRow(row: ImportRow, issues: Issue[]): Map<number, Issue[]> {
  const out = new Map<number, Issue[]>()
  for (const issue of issues) {
    const line = linePath(issue.path)
    const number =
      row.rowOf?.get(issue) ?? (line && row.lineRows?.[line[0]]?.[line[1]]) ?? row.number
    const list = out.get(number) ?? []
    list.push(issue)
    out.set(number, list)
  }
  return out
}

/**
 * What a row of a refused record answers when its own cells are fine (`byRow`: the record's
 * issues by row): the record is written whole or not at all.
 */
export function recordIssue(row: ImportRow, byRow: Map<number, Issue[]>): Issue {
  const [first, last] = [row.number, lastRowOf(row)]
  const at = [...byRow.keys()][0] ?? first
  return {
    path: '',
    message: `not imported: the record of rows ${first}–${last} is refused (row ${at})`,
  }
}

/** The refused record's rows for the error file, each with its own problems as the reason. */
export function toRowErrors(
  row: ImportRow,
  issues: Issue[],
): { number: number; cells: string[]; reason: string }[] {
  const byRow = issuesByRow(row, issues)
  return sourceRowsOf(row).map(({ number, cells }) => ({
    number,
    cells,
    reason: toReason(byRow.get(number) ?? [recordIssue(row, byRow)]),
  }))
}
