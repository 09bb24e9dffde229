import { mkdirSync, readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { parseCsv } from '../support/parse-csv'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor } from './support/sign-in'

const SHOTS = '/tmp/export-shots'
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
type PageStorage = { localStorage: { setItem(key: string, value: string): void } }

/** Clicks an export button and answers the file the browser saved, with its name. */
async function saved(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).first().click(),
  ])
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) }
}

async function sheetOf(bytes: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(new Uint8Array(bytes).buffer)
  const rows: string[][] = []
  book.worksheets[0].eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
  )
  return rows
}

/*
 * The sales director exports from the workspace: the opportunity list as filtered (CSV and
 * Excel, labels in the workspace's language, titles and names instead of ids) and the funnel
 * report (the run's table); screenshots of both pages go to /tmp/export-shots.
 */
describe.skipIf(!chromiumAvailable())('exports from the workspace in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let director: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb(0.1)
    server = await serveInProcess(db)
    browser = await launchChromium()
    director = await contextFor(browser, server.url, 'director', 'demo', {
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    })
    director.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
  }, 300_000)

  afterAll(async () => {
    await director?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  it.each(['en', 'zh-CN'])(
    'exports the filtered opportunity list as CSV and Excel in %s',
    async (locale) => {
      const page = await director.newPage()
      await page.addInitScript(
        (l) => (globalThis as unknown as PageStorage).localStorage.setItem('trellis.locale', l),
        locale,
      )
      // What the API exports of the won deals (the director's export scope).
      const won = encodeURIComponent(JSON.stringify({ '==': [{ var: 'stage' }, 'won'] }))
      const api = await director.request.get(`/api/data/opportunity/export?filter=${won}`)
      const expected = { total: Number(api.headers()['x-total-count']) }
      const all = await director.request.get('/api/data/opportunity/export')
      expect(Number(all.headers()['x-total-count'])).toBeGreaterThan(expected.total)
      // The list filtered to won deals through its address: the export holds exactly those.
      await page.goto('/e/opportunity?where=stage%3Aeq%3Awon&sort=-amount')
      await page.getByTestId('export-csv').waitFor()
      await page.locator('tbody tr').first().waitFor()
      await page.screenshot({ path: `${SHOTS}/list-${locale}.png` })

      const csv = await saved(page, 'export-csv')
      // Named as the reader names the records, in the workspace's language.
      const file = locale === 'zh-CN' ? '商机' : 'Opportunities'
      expect(csv.name).toBe(`${file}.csv`)
      const [header, ...rows] = parseCsv(csv.bytes.toString('utf8'))
      const col = (name: string) => header.indexOf(name)
      const [stage, customer, owner] =
        locale === 'zh-CN' ? ['阶段', '客户', '负责人'] : ['Stage', 'Customer', 'Owner']
      expect(col(stage)).toBeGreaterThan(0)
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        expect(row[col(stage)]).toBe(locale === 'zh-CN' ? '赢单（100%）' : 'Won (100%)')
        expect(row[col(customer)]).not.toMatch(UUID)
        expect(row[col(owner)]).not.toMatch(UUID)
        expect(row[col(owner)]).not.toBe('')
      }
      expect(rows.length).toBe(expected.total)

      const xlsx = await saved(page, 'export-xlsx')
      expect(xlsx.name).toBe(`${file}.xlsx`)
      const sheet = await sheetOf(xlsx.bytes)
      expect(sheet[0]).toEqual(header)
      expect(sheet.length).toBe(rows.length + 1)
      expect(pageErrors).toEqual([])
      await page.close()
    },
    120_000,
  )

  it('exports the funnel report as the table on screen, CSV and Excel', async () => {
    const page = await director.newPage()
    await page.goto('/r/opportunity-funnel')
    await page.getByTestId('report-table').waitFor()
    await page.getByTestId('export-xlsx').waitFor()
    await page.screenshot({ path: `${SHOTS}/report-en.png`, fullPage: true })
    const shown = await page.getByTestId('report-table').locator('thead th').allInnerTexts()

    const csv = await saved(page, 'export-csv')
    expect(csv.name).toMatch(/\.csv$/)
    const table = parseCsv(csv.bytes.toString('utf8'))
    expect(table[0].map((h) => h.trim())).toEqual(shown.map((h) => h.trim()))
    expect(table.length).toBeGreaterThan(2)
    expect(table.flat().join(' ')).not.toMatch(UUID)

    const xlsx = await sheetOf((await saved(page, 'export-xlsx')).bytes)
    expect(xlsx[0]).toEqual(table[0])
    expect(xlsx.length).toBe(table.length)
    expect(pageErrors).toEqual([])
    await page.close()
  }, 120_000)
})
