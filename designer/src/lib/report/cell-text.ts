import type { Locale } from '$metadata/labels'
import type { ReportColumn, ReportResult, ReportRow } from '$lib/api/reports'
import { formatReportValue } from './report-values'

/** The words a table cell may need: an empty group, and a total row's name. */
export interface CellWords {
  empty: string
  total: string
}

/**
 * How a cell of a report table reads: a measure formatted in the locale, a group's label, an
 * empty group as `words.empty`. A total row names itself once, in its first dimension column;
 * its other dimension cells stay blank (not "Total Total").
 * @example toCellText(result, totalRow, result.columns[1], words, 'en') // ''
 */
export function toCellText(
  result: Pick<ReportResult, 'columns'>,
  row: ReportRow,
  col: ReportColumn,
  words: CellWords,
  locale: Locale,
): string {
  const v = row.values[col.id]
  if (col.kind === 'measure') return formatReportValue(col, v, locale)
  const missing = v === null || v === undefined
  if (row.total && missing) {
    const first = result.columns.find((c) => c.kind === 'dimension')
    return first?.id === col.id ? words.total : ''
  }
  return missing || v === '' ? words.empty : String(v)
}
