import { PassThrough, type Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Ctx } from '../context'
import { loadExcelJs } from './excel'
import { exportTable, type ExportInput, type ExportTable } from './export-table'

/** Characters a sheet name may not hold. */
const BAD_SHEET_NAME = /[\\/?*[\]:]/g

/** Bytes written but not yet taken by the client past which the next page waits. */
const HIGH_WATER = 4 * 1024 * 1024

const isNumber = (text: string) => text !== '' && Number.isFinite(Number(text))

/**
 * A table as an XLSX workbook, streamed (rows are committed to the zip as they are read; memory
 * does not grow with the table): headed by the labels, number columns as numbers, every other
 * cell as the same text the CSV holds.
 * @example toXlsx(exportTable(ctx, 'customer', {})).pipe(res)
 */
export function toXlsx(table: ExportTable): Readable {
  const out = new PassThrough()
  void (async () => {
    const ExcelJS = await loadExcelJs()
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false })
    const name = table.name.replace(BAD_SHEET_NAME, ' ').slice(0, 31) || 'Sheet1'
    const sheet = book.addWorksheet(name)
    sheet.addRow(table.labels).commit()
    for await (const page of table.pages()) {
      for (const cells of page)
        sheet
          .addRow(cells.map((c, i) => (table.numeric[i] && isNumber(c) ? Number(c) : c)))
          .commit()
      // A slow client holds the next page back, so the workbook never piles up in memory.
      while (out.readableLength > HIGH_WATER && !out.destroyed) await sleep(20)
    }
    sheet.commit()
    await book.commit()
  })().catch((err: unknown) => out.destroy(err as Error))
  return out
}

/**
 * The caller's export of an entity as an XLSX workbook (see `exportTable` for the rules).
 * @example exportXlsx(ctx, 'customer', {}).pipe(res)
 */
export function exportXlsx(ctx: Ctx, entityId: string, input: ExportInput): Readable {
  return toXlsx(exportTable(ctx, entityId, input))
}
