import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '../../runtime/context'
import { importErrorFile, previewImport, runImport } from '../../runtime/io'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { openLinesFixture, type LinesFixture } from './import-lines-fixture'

async function errorRows(ctx: Ctx, jobId: string): Promise<Record<string, string>> {
  let text = ''
  for await (const chunk of importErrorFile(ctx, jobId)) text += chunk
  const rows = parseCsv(text)
  const at = rows[0].indexOf('Import row')
  return Object.fromEntries(rows.slice(1).map((r) => [r[at], r[at + 1]]))
}

describe.each(testTargets())('import with child rows on $name', (target) => {
  let f: LinesFixture
  let admin: Ctx

  beforeAll(async () => {
    f = await openLinesFixture(target)
    admin = await f.ctxOf('admin')
  })
  afterAll(async () => f?.close())

  it('maps child columns by their labels in en, zh-CN and ko, with or without the table', async () => {
    const file = f.file(
      'map.csv',
      'Order no.,客户,Product,수량,明细 / 单价,Lines.Unit price.currency\nSO-M,ACME,Widget,1,,\n',
    )
    const preview = await previewImport(admin, 'salesOrder', file, {})
    expect(preview.mapping).toEqual({
      'Order no.': 'number',
      客户: 'customer',
      Product: 'lines.product',
      수량: 'lines.quantity',
      '明细 / 单价': 'lines.unitPrice',
      'Lines.Unit price.currency': 'lines.unitPrice.currency',
    })
    expect(preview.failedRows).toBe(0)
  })

  it('inserts one record per group of rows, its lines resolved by title or code', async () => {
    const file = f.file(
      'orders.csv',
      [
        'Order no.,Customer,Product,Quantity,Unit price',
        'SO-1,ACME,Widget,2,',
        ',,G-2,1,30',
        ',,Widget,5,9.5',
        'SO-2,Beta,G-1,3,',
      ].join('\n'),
    )
    const job = await runImport(admin, 'salesOrder', file, {})
    expect(job).toMatchObject({ status: 'done', totalRows: 4, rowsDone: 4, inserted: 2, failed: 0 })
    expect(await f.lines()).toEqual({
      // A blank unit price is filled from the product, as the form fills it.
      'SO-1': ['W-1×2@10.00', 'G-2×1@30.00', 'W-1×5@9.50'],
      'SO-2': ['G-1×3@25.00'],
    })
  })

  it('refuses a record whole, each problem on the row of its line, and imports the others', async () => {
    const file = f.file(
      'bad-lines.csv',
      [
        'Order no.,Customer,Product,Quantity',
        'SO-3,ACME,Widget,1',
        ',,Nope,1',
        ',,Gadget,1',
        'SO-4,Beta,Widget,1',
        'SO-5,Nobody,Widget,1',
        'SO-5,Beta,Widget,2',
        'SO-7,ACME,Widget,1',
        ',,G-1,0',
      ].join('\n'),
    )
    // Grouped by the order number: a row repeats it or leaves it empty.
    const input = { group: 'Order no.' }
    const preview = await previewImport(admin, 'salesOrder', file, input)
    expect(preview.totalRows).toBe(8)
    expect(preview.failedRows).toBe(7)
    expect(preview.rows.map((r) => [r.number, r.record ?? null])).toEqual([
      [1, null],
      [2, 1],
      [3, 1],
      [4, null],
      [5, null],
      [6, 5],
      [7, null],
      [8, 7],
    ])
    const previewed = Object.fromEntries(
      preview.errors.map((r) => [
        r.number,
        r.issues.map((i) => (i.path ? `${i.path}: ` : '') + i.message),
      ]),
    )
    const job = await runImport(admin, 'salesOrder', file, input)
    expect(job).toMatchObject({ inserted: 1, failed: 7 })
    const reasons = await errorRows(admin, job.id)
    expect(reasons).toEqual({
      '1': 'not imported: the record of rows 1–3 is refused (row 2)',
      '2': "lines[1].product: no Product 'Nope' found",
      '3': "lines[2].product: 'Gadget' matches 2 Product records: use a code or id",
      '5': "customer: no Customer 'Nobody' found",
      '6': "customer: 'Beta' differs from row 5, where this record starts",
      // The child table's own rules, on the row of the line.
      '7': 'not imported: the record of rows 7–8 is refused (row 8)',
      '8': 'lines[1].quantity: must be >= 1',
    })
    // The preview says what the run did, row for row.
    expect(
      Object.fromEntries(Object.entries(previewed).map(([n, l]) => [n, l.join('; ')])),
    ).toEqual(reasons)
    expect(Object.keys(await f.lines())).toEqual(['SO-1', 'SO-2', 'SO-4'])
  })

  it('upserts by the key: repeated key cells group the rows and the lines are replaced', async () => {
    const file = f.file(
      'upsert.csv',
      [
        'Order no.,Customer,Product,Quantity',
        'SO-1,ACME,G-1,7',
        'SO-1,ACME,W-1,8',
        'SO-6,Beta,W-1,1',
        'SO-6,,G-2,2',
      ].join('\n'),
    )
    const preview = await previewImport(admin, 'salesOrder', file, { key: 'number' })
    expect(preview.rows.map((r) => [r.number, r.action])).toEqual([
      [1, 'update'],
      [2, 'update'],
      [3, 'insert'],
      [4, 'insert'],
    ])
    const job = await runImport(admin, 'salesOrder', file, { key: 'number' })
    expect(job).toMatchObject({ inserted: 1, updated: 1, failed: 0 })
    const lines = await f.lines()
    expect(lines['SO-1']).toEqual(['G-1×7@25.00', 'W-1×8@10.00'])
    expect(lines['SO-6']).toEqual(['W-1×1@10.00', 'G-2×2@26.00'])
    const [count] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from app.sales_order where number = 'SO-1'`,
    )
    expect(count.n).toBe(1)
  })

  it('groups by a named column the mapping ignores, across batches without splitting a record', async () => {
    const rows = ['Ref,Order no.,Customer,Product,Quantity']
    for (let i = 0; i < 5; i++)
      rows.push(`r${i},SO-G${i},ACME,Widget,1`, `r${i},SO-G${i},ACME,G-1,2`, `r${i},,,G-2,3`)
    const file = f.file('grouped.csv', rows.join('\n'))
    const mapping = {
      Ref: null,
      'Order no.': 'number',
      Customer: 'customer',
      Product: 'lines.product',
      Quantity: 'lines.quantity',
    }
    const job = await runImport(admin, 'salesOrder', file, { group: 'Ref', mapping, batchSize: 2 })
    expect(job).toMatchObject({ status: 'done', inserted: 5, failed: 0, rowsDone: 15 })
    const lines = await f.lines()
    for (let i = 0; i < 5; i++)
      expect(lines[`SO-G${i}`]).toEqual(['W-1×1@10.00', 'G-1×2@25.00', 'G-2×3@26.00'])
  })

  it('answers 400 naming group or the mapping for a bad group column or child target', async () => {
    const file = f.file('g.csv', 'Order no.,Customer,Product\nSO-X,ACME,Widget\n')
    await expect(runImport(admin, 'salesOrder', file, { group: 'Nope' })).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'group' }],
    })
    await expect(
      runImport(admin, 'customer', f.file('c.csv', 'Name\nX\n'), { group: 'Name' }),
    ).rejects.toMatchObject({ status: 400, details: [{ path: 'group' }] })
    await expect(
      previewImport(admin, 'salesOrder', file, {
        mapping: { 'Order no.': 'number', Customer: 'customer', Product: 'lines.amount' },
      }),
    ).rejects.toMatchObject({ status: 400, details: [{ path: 'mapping.Product' }] })
    const http = new FormData()
    http.append('file', new Blob(['Order no.,Product\nSO-Y,Widget\n']), 'o.csv')
    const res = await f.app.request('/api/import/preview?entity=salesOrder&group=Missing', {
      method: 'POST',
      headers: { authorization: `Bearer ${f.adminToken}` },
      body: http,
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { details: [{ path: 'group' }] } })
  })

  it('previews the scope refusals the run makes, with the same reasons', async () => {
    const clerk = await f.ctxOf('clerk')
    await runImport(admin, 'salesOrder', f.file('own.csv', 'Order no.,Customer\nSO-A1,ACME\n'), {})
    await runImport(clerk, 'salesOrder', f.file('mine.csv', 'Order no.,Customer\nSO-C3,ACME\n'), {})
    const file = f.file(
      'scoped.csv',
      [
        'Order no.,Customer,Owner,Product,Quantity',
        // The admin's order: found by the key (import scope all), outside the update scope.
        'SO-A1,ACME,,Widget,1',
        // A new order given to someone else: outside the create scope.
        'SO-C1,ACME,admin,Widget,1',
        // A new order of the clerk's own, and the clerk's order handed over (their assign right).
        'SO-C2,ACME,,Widget,1',
        'SO-C3,Beta,admin,G-1,2',
      ].join('\n'),
    )
    const preview = await previewImport(clerk, 'salesOrder', file, { key: 'number' })
    const shown = Object.fromEntries(
      preview.errors.map((r) => [String(r.number), r.issues.map((i) => `${i.path}: ${i.message}`)]),
    )
    expect(shown).toEqual({
      '1': ["id: outside your 'update' scope"],
      '2': ['owner: outside your create scope'],
    })
    expect(preview.rows.map((r) => r.action)).toEqual(['update', 'insert', 'insert', 'update'])
    const job = await runImport(clerk, 'salesOrder', file, { key: 'number' })
    expect(job).toMatchObject({ inserted: 1, updated: 1, failed: 2 })
    const reasons = await errorRows(clerk, job.id)
    expect(reasons).toEqual(Object.fromEntries(Object.entries(shown).map(([n, l]) => [n, l[0]])))
    expect((await f.lines())['SO-C3']).toEqual(['G-1×2@25.00'])
  })

  it('previews the collision with a record the import scope hides, as the run refuses it', async () => {
    const narrow = await f.ctxOf('clerk', ['narrow'])
    // SO-A1 is the admin's: the key does not find it, so the row would insert a second SO-A1.
    const file = f.file('hidden.csv', 'Order no.,Customer,Product,Quantity\nSO-A1,Beta,Widget,3\n')
    const preview = await previewImport(narrow, 'salesOrder', file, { key: 'number' })
    expect(preview.errors.map((r) => r.issues)).toEqual([
      [{ path: 'number', message: 'must be unique' }],
    ])
    const job = await runImport(narrow, 'salesOrder', file, { key: 'number' })
    expect(job).toMatchObject({ inserted: 0, updated: 0, failed: 1 })
    expect(await errorRows(narrow, job.id)).toEqual({ '1': 'number: must be unique' })
  })

  it('previews an update that would leave the update scope or hand the order over, as the run refuses it', async () => {
    const editor = await f.ctxOf('clerk', ['unlocked'])
    const file = f.file(
      'leave.csv',
      ['Order no.,Note,Owner', 'SO-A1,locked,', 'SO-1,fine,', 'SO-2,,clerk'].join('\n'),
    )
    const preview = await previewImport(editor, 'salesOrder', file, { key: 'number' })
    const shown = Object.fromEntries(
      preview.errors.map((r) => [String(r.number), r.issues.map((i) => `${i.path}: ${i.message}`)]),
    )
    expect(shown).toEqual({
      '1': ['id: the update would take the record outside your update scope'],
      '3': ["owner: changing the owner needs the 'assign' right on this record"],
    })
    const job = await runImport(editor, 'salesOrder', file, { key: 'number' })
    expect(job).toMatchObject({ updated: 1, failed: 2 })
    const reasons = await errorRows(editor, job.id)
    expect(reasons).toEqual(Object.fromEntries(Object.entries(shown).map(([n, l]) => [n, l[0]])))
  })
})
