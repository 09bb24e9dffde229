import type { Ctx } from '../context'
import { csvLine, guardFormula } from './csv-cells'
import { CSV_BOM } from './export-csv'
import { getImportJob, importErrorRows } from './import-jobs'

/** The columns the error file adds after the file's own. */
export const ERROR_COLUMNS = ['Import row', 'Import error'] as const

/**
 * The refused rows of a run as CSV: the file's own columns as they were, then the row number and
 * the reason, so the file can be fixed and imported again (the two added columns map to nothing).
 * Every cell is guarded against spreadsheet formulas; the next import reads the guard back off.
 * @example for await (const chunk of importErrorFile(ctx, jobId)) res.write(chunk)
 */
export async function* importErrorFile(ctx: Ctx, jobId: string): AsyncGenerator<string> {
  const job = await getImportJob(ctx, jobId)
  const headers = job.options.headers ?? []
  yield CSV_BOM + csvLine([...headers, ...ERROR_COLUMNS].map(guardFormula))
  let lines: string[] = []
  for await (const row of importErrorRows(ctx, jobId)) {
    const cells = headers.map((_, i) => guardFormula(row.cells[i] ?? ''))
    lines.push(csvLine([...cells, String(row.number), guardFormula(row.reason)]))
    if (lines.length < 500) continue
    yield lines.join('')
    lines = []
  }
  if (lines.length) yield lines.join('')
}
