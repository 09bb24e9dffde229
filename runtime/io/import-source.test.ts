import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { readRows, toImportFormat, xlsxCellText } from './import-source'

const dir = mkdtempSync(join(tmpdir(), 'trellis-import-'))

async function rowsOf(path: string, format: 'csv' | 'xlsx'): Promise<string[][]> {
  const out: string[][] = []
  for await (const row of readRows(path, format)) out.push(row)
  return out
}

describe('import source', () => {
  it('reads CSV with a BOM, quoted commas and line breaks, skipping blank lines', async () => {
    const path = join(dir, 'a.csv')
    writeFileSync(
      path,
      '\uFEFFname,note\r\n"ACME, Inc.","two\nlines"\r\n\r\n华东客户,"say ""hi"""\r\n',
    )
    expect(await rowsOf(path, 'csv')).toEqual([
      ['name', 'note'],
      ['ACME, Inc.', 'two\nlines'],
      ['华东客户', 'say "hi"'],
    ])
  })

  it('answers a malformed CSV with 400 naming the file', async () => {
    const path = join(dir, 'bad.csv')
    writeFileSync(path, 'name\n"unclosed\n')
    await expect(rowsOf(path, 'csv')).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'file' }],
    })
  })

  it('reads the first worksheet of an XLSX file as text: numbers, dates, rich text, formulas', async () => {
    const path = join(dir, 'a.xlsx')
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('Customers')
    sheet.addRow(['客户名称', 'Employees', 'Since', 'Total'])
    sheet.addRow([
      { richText: [{ text: 'ACME ' }, { text: '中国' }] },
      120,
      new Date(Date.UTC(2026, 2, 7)),
      { formula: 'B2*2', result: 240 },
    ])
    sheet.addRow([])
    sheet.addRow(['고객', 3.5, null, null])
    book.addWorksheet('Other').addRow(['ignored'])
    await book.xlsx.writeFile(path)
    expect(await rowsOf(path, 'xlsx')).toEqual([
      ['客户名称', 'Employees', 'Since', 'Total'],
      ['ACME 中国', '120', '2026-03-07', '240'],
      ['고객', '3.5'],
    ])
  })

  it('answers a file that is not a workbook with 400, and an unknown extension too', async () => {
    const path = join(dir, 'fake.xlsx')
    writeFileSync(path, 'not a zip')
    await expect(rowsOf(path, 'xlsx')).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'file' }],
    })
    expect(() => toImportFormat('customers.pdf')).toThrow(/\.csv or \.xlsx/)
    expect(toImportFormat('Customers.XLSX')).toBe('xlsx')
    expect(xlsxCellText(new Date('2026-03-07T08:30:00Z'))).toBe('2026-03-07T08:30:00.000Z')
  })
})
