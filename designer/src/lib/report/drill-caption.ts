import type { ReportResult } from '$lib/api/reports'

type CellKeys = Record<string, string | null>

const matches = (keys: CellKeys, cell: CellKeys) =>
  Object.entries(keys).every(([k, v]) => k in cell && (cell[k] ?? null) === (v ?? null))

/**
 * What one drilled cell of a report stands for, as the report shows it: the labels of its row's
 * groups, then of its column (a pivot's month, an aging bucket), joined by " · ". Keys the
 * result does not show are left out; none found → ''.
 * @example toDrillCaption(result, { owner: 'u1', month: '2026-04' }, '(empty)') // 'Evan East · Apr 2026'
 */
export function toDrillCaption(result: ReportResult, cell: CellKeys, empty: string): string {
  const parts: string[] = []
  const done = new Set<string>()
  for (const column of result.columns) {
    if (column.kind !== 'dimension' || !(column.id in cell)) continue
    const row = result.rows.find((r) => !r.total && (r.keys[column.id] ?? null) === cell[column.id])
    if (!row) continue
    const value = row.values[column.id]
    parts.push(value === null || value === undefined || value === '' ? empty : String(value))
    done.add(column.id)
  }
  // A pivot column or an aging bucket: the measure column whose own keys the cell holds.
  const rest = Object.keys(cell).filter((k) => !done.has(k))
  if (rest.length) {
    const column = result.columns.find(
      (c) =>
        c.keys &&
        Object.keys(c.keys).length &&
        rest.every((k) => k in c.keys!) &&
        matches(c.keys, cell),
    )
    if (column) parts.push(column.label)
  }
  return parts.join(' · ')
}
