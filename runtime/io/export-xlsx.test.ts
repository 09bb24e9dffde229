import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { ExportTable } from './export-table'
import { toXlsx } from './export-xlsx'
import { toSheetDate } from './xlsx-dates'

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks)
}

const table: ExportTable = {
  name: '客户',
  labels: ['Name', 'Since', 'Created at', 'Employees'],
  numeric: [false, false, false, true],
  dates: [undefined, 'date', 'datetime', undefined],
  count: async () => 2,
  async *pages() {
    yield [
      ['Acme', '2026-03-01', '2026-03-10T05:15:00.000Z', '12'],
      ['Blank', '', '', ''],
    ]
  },
}

describe('an export as a workbook', () => {
  it('writes days and instants as date cells, an instant at its time in the deployment zone', async () => {
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(new Uint8Array(await bytesOf(toXlsx(table, 'Asia/Shanghai'))).buffer)
    const sheet = book.worksheets[0]
    expect(sheet.name).toBe('客户')
    const row = sheet.getRow(2)
    expect(row.getCell(1).value).toBe('Acme')
    expect(row.getCell(2).value).toEqual(new Date('2026-03-01T00:00:00Z'))
    expect(row.getCell(2).numFmt).toBe('yyyy-mm-dd')
    // 05:15 UTC is 13:15 in Shanghai: the sheet shows the reader's wall-clock time.
    expect(row.getCell(3).value).toEqual(new Date('2026-03-10T13:15:00Z'))
    expect(row.getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm')
    expect(row.getCell(4).value).toBe(12)
    expect(sheet.getRow(3).getCell(2).value).toBe(null)
  })

  it('reads a day, an instant in another zone, and leaves text that is no date', () => {
    expect(toSheetDate('2026-03-10T23:30:00.000Z', 'datetime', 'Asia/Seoul')).toEqual(
      new Date('2026-03-11T08:30:00Z'),
    )
    expect(toSheetDate('2026-03-10T23:30:00.000Z', 'datetime', 'UTC')).toEqual(
      new Date('2026-03-10T23:30:00Z'),
    )
    expect(toSheetDate('soon', 'datetime', 'UTC')).toBeUndefined()
    expect(toSheetDate('2026-3-1', 'date', 'UTC')).toBeUndefined()
  })
})
