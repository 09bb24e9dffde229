import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importErrorFile, previewImport, runImport } from '../../runtime/io'
import type { Ctx } from '../../runtime/context'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { openImportFixture, type ImportFixture } from './import-fixture'

async function errorFile(ctx: Ctx, jobId: string): Promise<string[][]> {
  let text = ''
  for await (const chunk of importErrorFile(ctx, jobId)) text += chunk
  return parseCsv(text)
}

const ATTACK = `'); drop table app.customer; --`

describe.each(testTargets())('import on $name', (target) => {
  let f: ImportFixture
  let clerk: Ctx

  beforeAll(async () => {
    f = await openImportFixture(target)
    clerk = await f.ctxOf('clerk')
  })
  afterAll(async () => f?.close())

  it('inserts the good rows, refuses the bad ones with their fields, and writes a guarded error file', async () => {
    const file = f.file(
      'customers.csv',
      [
        '客户名称,Employees,Status,Since,VIP,Revenue,Revenue.currency,Extra',
        'Alpha Ltd,12,Active,2026-01-05,是,"1,200.50",USD,x',
        'Beta Ltd,many,Lead,,,,,',
        ',3,,,,,,',
        '"=HYPERLINK(""http://evil"")",1,Retired,,,,,',
        'alpha  LTD,4,,,,,,',
      ].join('\r\n'),
    )
    const job = await runImport(clerk, 'customer', file, {})
    expect(job).toMatchObject({ status: 'done', rowsDone: 5, totalRows: 5, inserted: 1, failed: 4 })
    const [alpha] = await f.db.query<Record<string, unknown>>(
      sql`select employees, status, since::text as since, vip, revenue::text as revenue, revenue_currency from app.customer where name = 'Alpha Ltd'`,
    )
    expect(alpha).toMatchObject({
      employees: 12,
      status: 'active',
      since: '2026-01-05',
      vip: true,
      revenue: '1200.50',
      revenue_currency: 'USD',
    })
    const rows = await errorFile(clerk, job.id)
    expect(rows[0]).toEqual([
      '客户名称',
      'Employees',
      'Status',
      'Since',
      'VIP',
      'Revenue',
      'Revenue.currency',
      'Extra',
      'Import row',
      'Import error',
    ])
    const byRow = new Map(rows.slice(1).map((r) => [r[8], r]))
    expect(byRow.get('2')?.[9]).toBe("employees: 'many' is not a number")
    expect(byRow.get('3')?.[9]).toBe('name: is required')
    expect(byRow.get('4')?.[0]).toBe(`'=HYPERLINK("http://evil")`)
    expect(byRow.get('4')?.[9]).toBe("status: 'Retired' is not one of the options")
    // The normalised name rule blocks a second Alpha, as the API would.
    expect(byRow.get('5')?.[9]).toMatch(/^name: Duplicate of 'Alpha Ltd'/)
  })

  it('imports the fixed error file: the guard is read back off and the added columns map to nothing', async () => {
    const fixed = f.file(
      'customers-fixed.csv',
      `\uFEFF客户名称,Employees,Status,Import row,Import error\r\n"'=HYPERLINK(""http://evil"")",1,Lead,4,bad\r\nBeta Ltd,7,Lead,2,bad\r\n`,
    )
    const job = await runImport(clerk, 'customer', fixed, {})
    expect(job).toMatchObject({ inserted: 2, failed: 0 })
    expect(await f.count('=HYPERLINK%')).toBe(1)
  })

  it('upserts by the de-duplication rule: existing records are updated, never duplicated', async () => {
    const file = f.file(
      'upsert.csv',
      'Customer name,Employees\nALPHA ltd,99\nGamma Ltd,5\ngamma ltd,6\n',
    )
    const before = await f.count()
    const job = await runImport(clerk, 'customer', file, { key: 'name' })
    expect(job).toMatchObject({ status: 'done', inserted: 1, updated: 2, failed: 0 })
    expect(await f.count()).toBe(before + 1)
    const rows = await f.db.query<{ name: string; employees: number; version: number }>(
      sql`select name, employees, version from app.customer where lower(name) in ('alpha ltd', 'gamma ltd') order by lower(name)`,
    )
    // The row's values are written, the key's own spelling too.
    expect(rows).toEqual([
      { name: 'ALPHA ltd', employees: 99, version: 2 },
      { name: 'gamma ltd', employees: 6, version: 2 },
    ])
    const audit = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity = 'customer' and action = 'updated'`,
    )
    expect(audit[0].n).toBeGreaterThanOrEqual(2)
  })

  it('upserts by a unique field and refuses a key that is neither a rule nor unique', async () => {
    await runImport(clerk, 'customer', f.file('codes.csv', 'Code,Name\nC-1,Delta Ltd\n'), {})
    const job = await runImport(
      clerk,
      'customer',
      f.file('codes2.csv', 'Code,Name\nC-1,Delta Renamed\n'),
      { key: 'code' },
    )
    expect(job).toMatchObject({ inserted: 0, updated: 1 })
    expect(await f.count('Delta Renamed')).toBe(1)
    await expect(
      runImport(clerk, 'customer', f.file('codes3.csv', 'Code,Name\nC-2,X\n'), {
        key: 'employees',
      }),
    ).rejects.toMatchObject({ status: 400, details: [{ path: 'key' }] })
  })

  it('resolves references by title, refuses ambiguous and unknown ones, never guessing', async () => {
    const admin = await f.ctxOf('admin')
    for (const name of ['Twin Co', 'Twin Co '])
      await f.db.query(sql`insert into app.customer (name) values (${name.trim()})`)
    const file = f.file('quotes.csv', 'Title,Customer\nQ1,Beta Ltd\nQ2,Twin Co\nQ3,Nobody Ltd\n')
    const job = await runImport(admin, 'quote', file, {})
    expect(job).toMatchObject({ inserted: 1, failed: 2 })
    const reasons = (await errorFile(admin, job.id)).slice(1).map((r) => r[3])
    expect(reasons).toEqual([
      "customer: 'Twin Co' matches 2 Customer records: use a code or id",
      "customer: no Customer 'Nobody Ltd' found",
    ])
    const [q1] = await f.db.query<{ name: string }>(
      sql`select c.name from app.quote q join app.customer c on c.id = q.customer where q.title = 'Q1'`,
    )
    expect(q1.name).toBe('Beta Ltd')
  })

  it('names every problem of a row a reference refuses, in the preview and the error file', async () => {
    const admin = await f.ctxOf('admin')
    const file = f.file(
      'quotes-all-problems.csv',
      'Title,Customer,Tags\nTBD,Nobody Ltd,Hot\n,Ghost Ltd,\nQ9,Beta Ltd,Hot\n',
    )
    // The rule on the tags reads the customer that was not found: the lookup's reason stands.
    const expected = [
      ["customer: no Customer 'Nobody Ltd' found", "title: 'TBD' is not a title"],
      ["customer: no Customer 'Ghost Ltd' found", 'title: is required'],
    ]
    const preview = await previewImport(admin, 'quote', file, {})
    expect(preview.failedRows).toBe(2)
    expect(preview.errors.map((r) => r.issues.map((i) => `${i.path}: ${i.message}`))).toEqual(
      expected,
    )
    const job = await runImport(admin, 'quote', file, {})
    expect(job).toMatchObject({ inserted: 1, failed: 2 })
    const reasons = (await errorFile(admin, job.id)).slice(1).map((r) => r[4])
    expect(reasons).toEqual(expected.map((issues) => issues.join('; ')))
  })

  it('upserts by an auto-number: a number finds its record, an empty one creates, an unknown one is refused', async () => {
    const admin = await f.ctxOf('admin')
    await runImport(admin, 'quote', f.file('numbered.csv', 'Title\nNumbered A\nNumbered B\n'), {})
    const numberOf = async (title: string) => {
      const rows = await f.db.query<{ number: string }>(
        sql`select number from app.quote where title = ${title}`,
      )
      return rows.map((r) => r.number)
    }
    const [a] = await numberOf('Numbered A')
    expect(a).toMatch(/^QT-\d{4}$/)
    // Without the key an auto-number column fills nothing: 400 naming the column.
    const file = f.file(
      'by-number.csv',
      `Quote no.,Title\n ${a} ,Numbered A2\n,Numbered C\nQT-9999,Ghost\n`,
    )
    await expect(
      runImport(admin, 'quote', file, { mapping: { 'Quote no.': 'number', Title: 'title' } }),
    ).rejects.toMatchObject({ status: 400, details: [{ path: 'mapping.Quote no.' }] })

    const refused = "number: no Quote numbered 'QT-9999': leave it empty for a new record"
    const preview = await previewImport(admin, 'quote', file, { key: 'number' })
    expect(preview.mapping).toEqual({ 'Quote no.': 'number', Title: 'title' })
    expect(
      preview.rows.map((r) => [r.action, r.issues.map((i) => `${i.path}: ${i.message}`)]),
    ).toEqual([
      ['update', []],
      ['insert', []],
      [null, [refused]],
    ])
    const job = await runImport(admin, 'quote', file, { key: 'number' })
    expect(job).toMatchObject({ updated: 1, inserted: 1, failed: 1 })
    expect(await numberOf('Numbered A2')).toEqual([a])
    const [c] = await numberOf('Numbered C')
    expect(c).toMatch(/^QT-\d{4}$/)
    expect(c).not.toBe(a)
    expect(await numberOf('Ghost')).toEqual([])
    expect((await errorFile(admin, job.id)).slice(1).map((r) => r[3])).toEqual([refused])

    // With lines, an empty number cannot also mean "the record above": a group column is needed.
    const lines = f.file('by-number-lines.csv', 'Quote no.,Title,Lines / Product\n,New,Widget\n')
    await expect(runImport(admin, 'quote', lines, { key: 'number' })).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'group' }],
    })
    const grouped = await runImport(admin, 'quote', lines, { key: 'number', group: 'Title' })
    expect(grouped).toMatchObject({ inserted: 1, failed: 0 })
  })

  it('previews every row with its issues and writes nothing', async () => {
    const before = await f.count()
    const file = f.file('preview.csv', 'Customer name,Employees\nNew One,1\n,2\nNew Two,-1\n')
    const preview = await previewImport(clerk, 'customer', file, {})
    expect(preview.totalRows).toBe(3)
    expect(preview.failedRows).toBe(2)
    expect(preview.mapping).toEqual({ 'Customer name': 'name', Employees: 'employees' })
    expect(preview.errors.map((r) => [r.number, r.issues.map((i) => i.path)])).toEqual([
      [2, ['name']],
      [3, ['employees']],
    ])
    expect(await f.count()).toBe(before)
  })

  it('answers 403 to a user without the import right and to a mapping onto a field they may not write', async () => {
    const rep = await f.ctxOf('clerk', ['rep'])
    const file = f.file('rep.csv', 'Name,Notes\nRep Co,"{}"\n')
    await expect(runImport(rep, 'customer', file, {})).rejects.toMatchObject({
      status: 403,
      details: [{ path: 'entity' }],
    })
    await expect(runImport(clerk, 'customer', file, {})).rejects.toMatchObject({
      status: 403,
      details: [{ path: 'mapping.Notes' }],
    })
    expect(await f.count('Rep Co')).toBe(0)
  })

  it('stores attack strings in cells as text and refuses them as mapping targets with a 400', async () => {
    const file = f.file(
      'attack.csv',
      `Name,Status\n"${ATTACK.replace(/"/g, '""')}",Lead\n"x\u0000y",Lead\n`,
    )
    const job = await runImport(clerk, 'customer', file, {})
    expect(job).toMatchObject({ inserted: 2, failed: 0 })
    expect(await f.count(ATTACK)).toBe(1)
    expect(await f.count('xy')).toBe(1)
    await expect(
      runImport(clerk, 'customer', file, { mapping: { Name: `name"; ${ATTACK}`, Status: null } }),
    ).rejects.toMatchObject({ status: 400, details: [{ path: 'mapping.Name' }] })
  })
})
