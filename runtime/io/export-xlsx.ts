import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Ctx } from '../context'
import { exportTable, type ExportInput } from './export-csv'

/**
 * The caller's export of an entity as an XLSX workbook, streamed (rows are committed to the
 * zip as they are read; memory does not grow with the table): the same records, scope and
 * cells as the CSV export, headed by the fields' labels in the caller's language, number fields
 * as numbers. Checks run at the call.
 * @example exportXlsx(ctx, 'customer', {}).pipe(res)
 */
export function exportXlsx(ctx: Ctx, entityId: string, input: ExportInput): Readable {
  const table = exportTable(ctx, entityId, input)
  const out = new PassThrough()
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false })
  const sheet = book.addWorksheet(entityId.slice(0, 31))
  void (async () => {
    sheet.addRow(table.labels).commit()
    for await (const page of table.pages()) {
      for (const cells of page)
        sheet.addRow(cells.map((c, i) => (table.numeric[i] && c !== '' ? Number(c) : c))).commit()
    }
    sheet.commit()
    await book.commit()
  })().catch((err: unknown) => out.destroy(err as Error))
  return out
}
