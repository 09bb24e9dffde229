import { toLabel } from '../../metadata/labels'
import type { Ctx } from '../context'
import { requireReport, runReport, type ReportValue } from '../reports'
import { cellText, guardFormula } from './csv-cells'
import { EXPORT_WORDS, exportLocale } from './export-columns'
import { assertCanExport, type ExportTable } from './export-table'

/** Value kinds a spreadsheet takes as numbers. */
const NUMBER_KINDS = new Set(['integer', 'decimal', 'ratio'])

/** A report value as cell text: labels guarded against formulas, numbers as exact decimals. */
function reportCell(value: ReportValue | undefined): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'number' ? cellText(value) : guardFormula(value)
}

/**
 * A report run for the caller as a table to write to a file: the same rows, columns, labels (in
 * the caller's language), read scope and field rules as `runReport` (a hidden field → 403), a
 * funnel's totals as a last row. Exporting also takes the export right on the report's source
 * entity (403 without it), as exporting its records does.
 * @example toCsv(await exportReportTable(ctx, 'sales-by-rep-month', { period: 'thisYear' }))
 */
export async function exportReportTable(
  ctx: Ctx,
  id: string,
  params: Record<string, string>,
): Promise<ExportTable> {
  const report = requireReport(ctx, id)
  assertCanExport(ctx, report.entity)
  const result = await runReport(ctx, id, params)
  const columns = result.columns
  const rows = result.rows.map((row) => columns.map((c) => reportCell(row.values[c.id])))
  if (result.totals) {
    const total = toLabel(EXPORT_WORDS.total, exportLocale(ctx))
    rows.push(
      columns.map((c, i) =>
        c.kind === 'measure' ? reportCell(result.totals?.[c.id]) : i === 0 ? total : '',
      ),
    )
  }
  return {
    name: result.label,
    labels: columns.map((c) => c.label),
    numeric: columns.map((c) => c.kind === 'measure' && NUMBER_KINDS.has(c.valueKind ?? '')),
    dates: columns.map((c) =>
      c.valueKind === 'date' || c.valueKind === 'datetime' ? c.valueKind : undefined,
    ),
    count: async () => rows.length,
    async *pages() {
      yield rows
    },
  }
}
