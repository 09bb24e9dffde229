import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { openImportFixture, type ImportFixture } from './import-fixture'

/** The first sheet of a workbook as rows of cell values. */
async function sheetRows(res: Response): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(await res.arrayBuffer())
  const rows: unknown[][] = []
  book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
  return rows
}

describe.each(testTargets())('XLSX export on $name', (target) => {
  let f: ImportFixture

  beforeAll(async () => {
    f = await openImportFixture(target)
    const body = {
      name: '=SUM(A1)',
      employees: 12,
      status: 'active',
      revenue: { amount: 1250.5, currency: 'CNY' },
    }
    expect((await f.call('POST', '/api/data/customer', { token: f.adminToken, body })).status).toBe(
      201,
    )
  })
  afterAll(async () => f?.close())

  it('streams a workbook headed by labels in the caller’s language, numbers as numbers, selects as labels', async () => {
    const res = await f.call(
      'GET',
      '/api/data/customer/export?format=xlsx&fields=name,employees,status,revenue',
      {
        token: f.adminToken,
        headers: { 'x-trellis-locale': 'zh-CN' },
      },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Customers.xlsx"; filename*=UTF-8''Customers.xlsx`,
    )
    expect(res.headers.get('x-total-count')).toBe('1')
    expect(await sheetRows(res)).toEqual([
      // Labels the metadata lacks in Chinese fall back to English; the export's own words do not.
      ['客户名称', 'Employees', 'Status', 'Revenue', 'Revenue (币种)'],
      ["'=SUM(A1)", 12, 'Active', 1250.5, 'CNY'],
    ])
  })

  it('keeps the export scope: 403 without the export right, 400 for an unknown format', async () => {
    expect(
      (await f.call('GET', '/api/data/customer/export?format=xlsx', { token: f.repToken })).status,
    ).toBe(403)
    const bad = await f.call('GET', '/api/data/customer/export?format=pdf', { token: f.adminToken })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { details: [{ path: 'format' }] } })
  })
})
