import { PassThrough, type Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Ctx } from '../context'
import { loadExcelJs } from './excel'
import { exportTable, type ExportInput, type ExportTable } from './export-table'
import { DATE_FORMATS, toSheetDate } from './xlsx-dates'

/** Characters a sheet name may not hold. */
const BAD_SHEET_NAME = /[\\/?*[\]:]/g

/** Bytes written but not yet taken by the client past which the next page waits. */
const HIGH_WATER = 4 * 1024 * 1024

const isNumber = (text: string) => text !== '' && Number.isFinite(Number(text))

/**
 * A table as an XLSX workbook, streamed (rows are committed to the zip as they are read; memory
 * does not grow with the table): headed by the labels, number columns as numbers, date and
 * datetime columns as date cells (a datetime at its wall-clock time in `timeZone`), every other
 * cell as the same text the CSV holds.
 * @example toXlsx(exportTable(ctx, 'customer', {}), 'Asia/Shanghai').pipe(res)
 */
export function toXlsx(table: ExportTable, timeZone = 'UTC'): Readable {
  const out = new PassThrough()
  void (async () => {
    const ExcelJS = await loadExcelJs()
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
      // Styles carry the date cells' number formats.
      useStyles: true,
    })
    const name = table.name.replace(BAD_SHEET_NAME, ' ').slice(0, 31) || 'Sheet1'
    const sheet = book.addWorksheet(name)
    sheet.addRow(table.labels).commit()
    const dates = table.dates ?? []
    const cellOf = (c: string, i: number) => {
      const kind = dates[i]
      const date = kind ? toSheetDate(c, kind, timeZone) : undefined
      return date ?? (table.numeric[i] && isNumber(c) ? Number(c) : c)
    }
    for await (const page of table.pages()) {
      for (const cells of page) {
        const values = cells.map(cellOf)
        const row = sheet.addRow(values)
        values.forEach((v, i) => {
          const kind = dates[i]
          if (kind && v instanceof Date) row.getCell(i + 1).numFmt = DATE_FORMATS[kind]
        })
        row.commit()
      }
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
export function exportXlsx(
  ctx: Ctx,
  entityId: string,
  input: ExportInput,
  timeZone = 'UTC',
): Readable {
  return toXlsx(exportTable(ctx, entityId, input), timeZone)
}
