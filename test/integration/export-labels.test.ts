import Big from 'big.js'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../../runtime/clock'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { REPORT_NOW, reportBundle, seedReportWorld, type World } from '../support/report-world'

/*
 * What an export shows is what the reader sees on screen: labels in their language, option
 * labels, referenced records' titles (hidden when the reader may not read the record), users'
 * names, exact decimals, ISO dates. Checked against the seeded world kept in memory.
 */

/** The clerk exports their own deals, never `secret`, and reads only the northern accounts. */
const clerk: Role = {
  id: 'clerk',
  label: { en: 'Rep' },
  grants: [
    { entity: 'deal', scopes: { read: 'own', export: 'own' }, fields: { secret: 'none' } },
    {
      entity: 'account',
      scopes: { read: 'filter' },
      filters: { read: { '==': [{ var: 'region' }, 'north'] } },
    },
  ],
}

const FIELDS = 'title,stage,amount,rate,closeOn,closedAt,owner,account'
const cents = (n: number | null) => (n === null ? '' : new Big(n).div(100).toFixed())
const thousandths = (n: number | null) => (n === null ? '' : new Big(n).div(1000).toFixed())

async function sheetOf(res: Response): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(await res.arrayBuffer())
  const rows: unknown[][] = []
  book.worksheets[0].eachRow({ includeEmpty: true }, (row) => {
    const cells = (row.values as unknown[]).slice(1)
    rows.push(Array.from({ length: 9 }, (_, i) => cells[i] ?? ''))
  })
  return rows
}

describe.each(testTargets())('export labels on $name', (target) => {
  let f: AppFixture
  let world: World
  let clerkId: string

  const exportOf = (token: string, query: string, locale = 'en') =>
    f.call('GET', `/api/data/deal/export?${query}`, {
      token,
      headers: { 'x-trellis-locale': locale },
    })
  /** What the reader should see for a deal, cell by cell, in `words`. */
  const expectedRow = (id: string, words: { hidden: string; suffix: string }) => {
    const d = world.deals.find((x) => x.id === id)!
    const account = world.accounts.find((a) => a.id === d.account)
    return [
      d.title,
      d.stage === null ? '' : `${d.stage.toUpperCase()}${words.suffix}`,
      cents(d.amount),
      d.amount === null ? '' : 'CNY',
      thousandths(d.rate),
      d.closeOn ?? '',
      d.closedAt ?? '',
      world.users.find((u) => u.id === d.owner)!.displayName,
      !account ? '' : account.region === 'north' ? account.name : words.hidden,
    ]
  }

  beforeAll(async () => {
    f = await openAppFixture(target, {
      bundle: { ...reportBundle([]), roles: [clerk] },
      clock: fixedClock(REPORT_NOW),
    })
    const session = async (token: string) =>
      ((await (await f.call('GET', '/api/auth/session', { token })).json()) as any).user.id
    clerkId = await session(f.clerkToken)
    world = await seedReportWorld(f.db, clerkId, await session(f.adminToken))
  })
  afterAll(async () => f?.close())

  it('writes labels, option labels, titles, names, exact decimals and ISO dates in English', async () => {
    const res = await exportOf(f.clerkToken, `fields=id,${FIELDS}`)
    expect(res.status).toBe(200)
    const [header, ...rows] = parseCsv(await res.text())
    expect(header).toEqual([
      'ID',
      'Title',
      'Stage',
      'Amount',
      'Amount (currency)',
      'Rate',
      'Close on',
      'Closed at',
      'Owner',
      'Account',
    ])
    const own = world.deals.filter((d) => d.owner === clerkId)
    expect(rows.map((r) => r[0]).sort()).toEqual(own.map((d) => d.id).sort())
    for (const row of rows)
      expect(row.slice(1)).toEqual(expectedRow(row[0], { hidden: 'Hidden', suffix: '' }))
    // The world has both kinds: accounts the clerk reads and accounts shown as hidden.
    expect(rows.some((r) => r[9] === 'Hidden')).toBe(true)
    expect(rows.some((r) => r[9].startsWith('Account'))).toBe(true)
    expect(res.headers.get('x-total-count')).toBe(String(own.length))
  })

  it('writes the same table in Chinese and Korean, and the same cells in XLSX', async () => {
    for (const [locale, hidden, suffix] of [
      ['zh-CN', '无权查看', '（中）'],
      ['ko', '볼 수 없음', '(한)'],
    ]) {
      const csv = parseCsv(
        await (await exportOf(f.clerkToken, `fields=id,${FIELDS}`, locale)).text(),
      )
      expect(csv[0].slice(1, 5)).toEqual(
        locale === 'zh-CN'
          ? ['Title（中）', 'Stage（中）', 'Amount（中）', 'Amount（中） (币种)']
          : ['Title(한)', 'Stage(한)', 'Amount(한)', 'Amount(한) (통화)'],
      )
      for (const row of csv.slice(1))
        expect(row.slice(1)).toEqual(expectedRow(row[0], { hidden, suffix }))
      const xlsx = await sheetOf(
        await exportOf(f.clerkToken, `fields=${FIELDS}&format=xlsx`, locale),
      )
      // Numbers are numbers and dates dates in the workbook (the server's zone is UTC here);
      // every cell reads as the CSV's.
      const text = (c: unknown, i: number) =>
        c instanceof Date ? (i === 5 ? c.toISOString().slice(0, 10) : c.toISOString()) : String(c)
      expect(xlsx.map((r) => r.map(text))).toEqual(csv.map((r) => r.slice(1)))
      expect(xlsx.slice(1).some((r) => typeof r[2] === 'number')).toBe(true)
      expect(xlsx.slice(1).some((r) => r[5] instanceof Date && r[6] instanceof Date)).toBe(true)
    }
  })

  it('refuses a hidden field with 403 and leaves it out of the default columns', async () => {
    const refused = await exportOf(f.clerkToken, 'fields=title,secret')
    expect(refused.status).toBe(403)
    expect(JSON.stringify(await refused.json())).toContain("'secret'")
    const [header] = parseCsv(await (await exportOf(f.clerkToken, '')).text())
    expect(header).not.toContain('Secret margin')
    const [all] = parseCsv(await (await exportOf(f.adminToken, '')).text())
    expect(all).toContain('Secret margin')
  })

  it('makes titles that look like formulas inert and shows an admin every title', async () => {
    const account = await f.call('POST', '/api/data/account', {
      token: f.adminToken,
      body: { name: '=HYPERLINK("http://x")', region: 'north' },
    })
    const accountId = ((await account.json()) as { id: string }).id
    const deal = await f.call('POST', '/api/data/deal', {
      token: f.adminToken,
      body: { title: 'Formula deal', account: accountId, owner: clerkId },
    })
    expect(deal.status).toBe(201)
    const rows = parseCsv(await (await exportOf(f.adminToken, 'fields=title,account')).text())
    expect(rows).toContainEqual(['Formula deal', `'=HYPERLINK("http://x")`])
    expect(rows.some((r) => r[1] === 'Hidden')).toBe(false)
  })
})
