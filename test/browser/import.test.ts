import { mkdirSync, readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { parseCsv } from '../support/parse-csv'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, getJson, useLocale } from './support/sign-in'

const SHOTS = '/tmp/import-shots'
const RAW_KEY = /\b(io|orgImport|list|form|admin)\.[a-z]+[A-Z]?\w*/
const FLOAT = /\d\.\d{5,}/
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

// A zh-CN header (客户名称) beside English ones; rows 2–5 are each wrong in one way.
const CUSTOMERS = [
  '客户名称,Phone,Level,Industry,Employees',
  'Importé Alpha Co,+86 21 5555 0101,A (key account),Manufacturing,120',
  ',+86 21 5555 0102,B,Retail,5',
  'Importé Beta Co,call me maybe!,B,Retail,8',
  'Importé Gamma Co,+86 21 5555 0103,Platinum,IT & software,30',
  'importé  ALPHA co,+86 21 5555 0104,C,Finance,1',
].join('\n')

/** The page's progress element: whether its value reached its max. */
const progressAtEnd = (page: Page) =>
  page.$eval('[data-testid="import-progress"]', (el) => {
    const bar = el as unknown as { value: number; max: number }
    return bar.max > 0 && bar.value === bar.max
  })

describe.skipIf(!chromiumAvailable())('importing customers in the workspace', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let admin: BrowserContext
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb(0.1)
    server = await serveInProcess(db)
    browser = await launchChromium()
    admin = await open('admin', 'admin')
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  async function open(username: string, password = 'demo', locale = 'en') {
    const context = await contextFor(browser, server.url, username, password, {
      viewport: { width: 1300, height: 1000 },
      acceptDownloads: true,
    })
    await useLocale(context, locale)
    context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
    contexts.push(context)
    return context
  }

  /** Opens the entity's list, follows its Import link and chooses `text` as `name`. */
  async function chooseFile(
    context: BrowserContext,
    name: string,
    text: string,
    entity = 'customer',
  ) {
    const page = await context.newPage()
    await page.goto(`/e/${entity}`)
    await page.getByTestId('import-page').click()
    await page.waitForURL(new RegExp(`/e/${entity}/import$`))
    await page.getByTestId('import-file').setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(text),
    })
    await page.getByTestId('import-summary').waitFor()
    // The page fits its window: the hidden file input once stretched it to 1,811 px.
    const widths = await page.evaluate<number[]>(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    )
    expect(widths[0]).toBeLessThanOrEqual(widths[1])
    return page
  }

  /** Runs the import shown, waits for the bar to reach its end and answers the counts' text. */
  async function runToEnd(page: Page): Promise<string> {
    await page.getByTestId('import-run').click()
    await page.getByTestId('import-progress').waitFor()
    await page.locator('[data-testid="import-status"][data-status="done"]').waitFor()
    expect(await progressAtEnd(page)).toBe(true)
    // A finished run cannot be started again by a second click: choosing a file or a key again
    // (a new preview) offers Run anew.
    expect(await page.getByTestId('import-run').isDisabled()).toBe(true)
    return (await page.getByTestId('import-counts').textContent()) ?? ''
  }

  const customerNames = async (context: BrowserContext, like: string) => {
    const filter = JSON.stringify({ in: [like, { var: 'name' }] })
    const url = `/api/data/customer?filter=${encodeURIComponent(filter)}&limit=50`
    const { data } = await getJson<{ data: { name: string }[] }>(context, url)
    return data.map((c) => c.name).sort()
  }

  it('maps by label, previews each bad row’s reason, runs, and imports the fixed error file', async () => {
    const page = await chooseFile(admin, 'customers.csv', CUSTOMERS)
    const mapping = page.getByTestId('import-mapping')
    const mapped = async (header: string) =>
      mapping.locator(`select[data-header="${header}"]`).inputValue()
    expect(await mapped('客户名称')).toBe('name')
    expect(await mapped('Phone')).toBe('phone')
    expect(await mapped('Level')).toBe('level')
    expect(await mapped('Industry')).toBe('industry')
    expect(await mapped('Employees')).toBe('employees')
    expect(await page.getByTestId('import-summary').textContent()).toContain('5 rows, 4 with')

    const problems = page.getByTestId('import-row-errors')
    const reasonOf = (row: number) =>
      problems.locator(`tr[data-row="${row}"]`).textContent() as Promise<string>
    expect(await reasonOf(2)).toContain('Customer name: is required')
    expect(await reasonOf(3)).toContain('Phone: has an invalid format')
    expect(await reasonOf(4)).toContain("Level: 'Platinum' is not one of the options")
    expect(await reasonOf(5)).toContain('Customer name: A customer with this name already exists')
    await page.screenshot({ path: `${SHOTS}/preview-en.png`, fullPage: true })

    expect(await runToEnd(page)).toBe('1 created, 0 updated, 4 refused')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-error-file').click(),
    ])
    expect(download.suggestedFilename()).toBe('customers-errors.csv')
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8'))
    expect(rows[0]).toEqual([...CUSTOMERS.split('\n')[0].split(','), 'Import row', 'Import error'])
    expect(rows.slice(1).map((r) => [r[5], r[6]])).toEqual([
      ['2', 'name: is required'],
      ['3', 'phone: has an invalid format'],
      ['4', "level: 'Platinum' is not one of the options"],
      ['5', 'name: A customer with this name already exists'],
    ])
    await page.screenshot({ path: `${SHOTS}/done-en.png`, fullPage: true })
    await page.close()

    // Fixed in place: a name, a phone, a level, another name; the two added columns map to nothing.
    const fixes: Record<string, [number, string]> = {
      '2': [0, 'Importé Delta Co'],
      '3': [1, '+86 21 5555 0105'],
      '4': [2, 'B'],
      '5': [0, 'Importé Epsilon Co'],
    }
    const fixed = rows.map((r, i) => {
      if (i === 0) return r
      const [at, text] = fixes[r[5]]
      return r.map((cell, j) => (j === at ? text : cell))
    })
    const again = await chooseFile(admin, 'customers-errors.csv', toCsv(fixed))
    expect(await again.getByTestId('import-summary').textContent()).toContain('4 rows, 0 with')
    expect(await again.locator('select[data-header="Import error"]').inputValue()).toBe('')
    expect(await runToEnd(again)).toBe('4 created, 0 updated, 0 refused')
    expect(await again.getByTestId('import-error-file').count()).toBe(0)

    await again.getByTestId('import-back').click()
    await again.waitForURL(/\/e\/customer/)
    await again.goto('/e/customer?where=name:contains:Import%C3%A9')
    const list = again.getByTestId('list')
    await expect
      .poll(() => list.locator('[data-testid^="open-"]').count(), { timeout: 15_000 })
      .toBe(5)
    const listed = await list.locator('tbody').textContent()
    for (const name of ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon'])
      expect(listed).toContain(`Importé ${name} Co`)
    expect(pageErrors).toEqual([])
    await again.close()
  }, 180_000)

  it('imports sales orders with their lines: child columns by label, rows grouped by a column', async () => {
    const [customer] = await db.query<{ name: string }>(
      sql`select name from app.customer where name not like '%,%' order by name limit 1`,
    )
    const products = await db.query<{ name: string }>(
      sql`select name from app.product where name not like '%,%' group by name
        having count(*) = 1 order by name limit 2`,
    )
    const [one, two] = products.map((p) => p.name)
    const text = [
      'Ref,Customer,商品,Quantity',
      `B-1,${customer.name},${one},2`,
      `B-1,,${two},3`,
      `B-2,${customer.name},${one},1`,
      `B-2,,No such product,1`,
    ].join('\n')
    const page = await chooseFile(admin, 'orders.csv', text, 'salesOrder')
    const mapped = (header: string) =>
      page.locator(`[data-testid="import-mapping"] select[data-header="${header}"]`).inputValue()
    expect(await mapped('商品')).toBe('lines.product')
    expect(await mapped('Quantity')).toBe('lines.quantity')
    expect(await mapped('Ref')).toBe('')
    await page.getByTestId('import-group').selectOption('Ref')
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toContain('4 rows, 2 with')
    const problem = page.locator('[data-testid="import-row-errors"] tr[data-row="4"]')
    expect(await problem.textContent()).toContain(
      "Lines 2 / Product: nothing called 'No such product'",
    )
    await page.screenshot({ path: `${SHOTS}/order-lines-preview-en.png`, fullPage: true })
    expect(await runToEnd(page)).toBe('1 created, 0 updated, 2 refused')
    const lines = await db.query<{ quantity: number }>(
      sql`select quantity from app.order_line where parent_id =
        (select id from app.sales_order order by created_at desc limit 1) order by position`,
    )
    expect(lines.map((l) => l.quantity)).toEqual([2, 3])
    expect(pageErrors).toEqual([])
    await page.close()
  }, 120_000)

  it('lets a sales rep import into their own scope only, as the shipped role grants', async () => {
    const rep = await open('rep_east1')
    const text = ['客户名称,负责人', 'Rep Own Co,', 'Rep Foreign Co,rep_west1'].join('\n')
    const page = await chooseFile(rep, 'mine.csv', text)
    expect(await page.locator('select[data-header="负责人"]').inputValue()).toBe('owner')
    // The preview refuses the foreign owner as the run will, before anything is written.
    expect(await page.getByTestId('import-summary').textContent()).toContain('2 rows, 1 with')
    const refused = page.locator('[data-testid="import-row-errors"] tr[data-row="2"]')
    expect(await refused.textContent()).toContain('outside what you may create')
    await page.screenshot({ path: `${SHOTS}/rep-preview-en.png`, fullPage: true })
    const shown = await page.getByTestId('import-page-body').innerText()
    expect(shown).not.toMatch(RAW_KEY)
    expect(shown).not.toMatch(UUID)
    expect(await runToEnd(page)).toBe('1 created, 0 updated, 1 refused')
    expect(await customerNames(rep, 'Rep ')).toEqual(['Rep Own Co'])
    expect(await customerNames(admin, 'Rep ')).toEqual(['Rep Own Co'])
    const errors = await page.getByTestId('import-error-file').getAttribute('href')
    const file = parseCsv(await (await rep.request.get(errors!)).text())
    expect(file[1].slice(0, 2)).toEqual(['Rep Foreign Co', 'rep_west1'])
    expect(file[1][3]).toMatch(/owner/)
    expect(pageErrors).toEqual([])
    await page.close()
  }, 120_000)

  it.each([
    ['en', 1],
    ['zh-CN', 2],
  ] as const)(
    'imports people from the admin area in %s: map the username, preview, run, read the report',
    async (locale, n) => {
      const context = locale === 'en' ? admin : await open('admin', 'admin', locale)
      const text = [
        'Staff ID,姓名,部门,上级,角色',
        `imp${n}_chen,陈静${n},Nova ${n}/Sales/North,mgr_east,salesRep`,
        `imp${n}_zhou,周强${n},Nova ${n}/Sales/North,陈静${n},salesRep;ghost`,
        `imp${n}_sun,孙丽${n},Nova ${n}/Service,无名氏,`,
      ].join('\n')
      const page = await context.newPage()
      await page.goto('/')
      await page.getByTestId('nav-admin-org-import').click()
      await page.waitForURL(/\/admin\/org-import$/)
      await page.getByTestId('import-file').setInputFiles({
        name: 'staff.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(text),
      })
      const problems = page.getByTestId('org-import-problems')
      await problems.locator('tr[data-field="username"]').waitFor()
      expect(await page.getByTestId('org-import-run').isDisabled()).toBe(true)
      const select = (header: string) =>
        page.getByTestId('org-import-mapping').locator(`select[data-header="${header}"]`)
      expect(await select('部门').inputValue()).toBe('department')
      expect(await select('上级').inputValue()).toBe('manager')
      await select('Staff ID').selectOption('username')
      await problems.locator('tr[data-field="manager"]').waitFor()
      const summary = await page.getByTestId('org-import-summary').textContent()
      expect(summary).toContain(locale === 'en' ? '3 people: 3 new' : '共 3 人：新建 3')
      expect(await page.getByTestId('org-import-departments').innerText()).toContain(
        `Nova ${n}/Sales/North`,
      )
      const reasons = await problems.locator('td:last-child').allTextContents()
      expect(reasons).toEqual(
        locale === 'en'
          ? ["no role 'ghost'", "no user '无名氏'"]
          : ['没有角色“ghost”', '没有用户“无名氏”'],
      )
      await page.screenshot({ path: `${SHOTS}/org-preview-${locale}.png`, fullPage: true })
      const body = await page.getByTestId('org-import-page').innerText()
      expect(body).not.toMatch(RAW_KEY)
      expect(body).not.toMatch(UUID)

      await page.getByTestId('org-import-run').click()
      const report = page.getByTestId('org-import-report')
      await report.waitFor()
      expect(await report.textContent()).toContain(locale === 'en' ? '3 created' : '新建 3 人')
      expect(await page.getByTestId('org-import-report-problems').locator('tbody tr').count()).toBe(
        2,
      )
      await page.screenshot({ path: `${SHOTS}/org-report-${locale}.png`, fullPage: true })
      const { data } = await getJson<{
        data: { id: string; username: string; managerId: string | null; roles: string[] }[]
      }>(admin, `/api/admin/users?q=imp${n}_`)
      const byName = new Map(data.map((u) => [u.username, u]))
      const chen = byName.get(`imp${n}_chen`)!
      expect(byName.get(`imp${n}_zhou`)?.managerId).toBe(chen.id)
      expect(byName.get(`imp${n}_zhou`)?.roles).toEqual(['salesRep'])
      expect(byName.get(`imp${n}_sun`)?.managerId).toBeNull()
      expect(pageErrors).toEqual([])
      await page.close()
    },
    90_000,
  )

  it.each(['en', 'zh-CN'])(
    'reads the import page in %s without raw keys, ids, English words or float artefacts',
    async (locale) => {
      const context = await open('admin', 'admin', locale)
      const n = locale === 'en' ? 1 : 2
      const text = [
        '客户名称,电话,客户等级,员工人数',
        `华东精密 ${n},021-5555-0199,A,12`,
        ',021-5555-0198,B,3',
        `华南物流 ${n},不是电话,B,3`,
        `华北电子 ${n},021-5555-0197,铂金,7`,
        `华东精密 ${n},021-5555-0196,C,2`,
      ].join('\n')
      const page = await chooseFile(context, '客户.csv', text)
      await page.getByTestId('import-row-errors').waitFor()
      await runToEnd(page)
      await page.getByTestId('import-error-file').waitFor()
      await page.screenshot({ path: `${SHOTS}/import-${locale}.png`, fullPage: true })
      const shown = (await page.getByTestId('import-page-body').innerText()) ?? ''
      expect(shown).not.toMatch(RAW_KEY)
      expect(shown).not.toMatch(UUID)
      expect(shown).not.toMatch(FLOAT)
      if (locale === 'zh-CN') {
        // Nothing but the file's own words may be Latin letters.
        const latin = shown.match(/[A-Za-z]{2,}/g) ?? []
        expect(latin.filter((w) => !['csv', 'CSV', 'Excel', 'XLSX'].includes(w))).toEqual([])
        expect(shown).toContain('客户名称：必填')
      }
      expect(pageErrors).toEqual([])
      await page.close()
    },
    90_000,
  )
})

/** Rows as CSV text, every cell quoted. */
function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n')
}
