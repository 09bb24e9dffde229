import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor } from './support/sign-in'

const SHOTS = '/tmp/dashboard-shots'
const RAW_KEY = /\b(report|dash|period|home)\.[a-z]+[A-Z]?\w*/
const FLOAT = /\d\.\d{5,}/
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

/** The 2D canvas API a test reads in the page (the root tsconfig has no DOM types). */
interface PageCanvas {
  width: number
  height: number
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
  }
}

/** How many pixels of a canvas are painted: a chart that rendered has many. */
const paintedPixels = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const canvas = el as unknown as PageCanvas
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
    let n = 0
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++
    return n
  })

type PageStorage = { localStorage: { setItem(key: string, value: string): void } }

describe.skipIf(!chromiumAvailable())('the manager’s dashboard in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let mgr: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb(0.1)
    server = await serveInProcess(db)
    browser = await launchChromium()
    mgr = await contextFor(browser, server.url, 'mgr_east', 'demo', {
      viewport: { width: 1400, height: 1000 },
    })
    mgr.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
  }, 300_000)

  afterAll(async () => {
    await mgr?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  it('shows the funnel chart, KPIs and tasks, then a report’s table and a cell’s records', async () => {
    const page = await mgr.newPage()
    await page.goto('/')
    await page.locator('[data-dashboard="sales-manager-home"]').waitFor()
    const funnel = page.getByTestId('widget-funnel')
    await funnel.locator('canvas').waitFor()
    expect(
      Number(await funnel.getByTestId('report-chart').getAttribute('data-points')),
    ).toBeGreaterThan(1)
    await expect
      .poll(() => paintedPixels(page, '[data-testid="widget-funnel"] canvas'))
      .toBeGreaterThan(2000)
    await page.getByTestId('widget-winRate').getByTestId('kpi-value').waitFor()
    expect(await page.getByTestId('widget-winRate').textContent()).toMatch(/\d+(\.\d)?%/)
    // Sales of a month without orders yet are CN¥0.00, not a missing value.
    const sales = page.getByTestId('widget-salesThisMonth')
    await sales.getByTestId('kpi-value').waitFor()
    // A long figure reads compact (CN¥28.28M) with the full one, to the cent, in its tooltip.
    const shown = await sales.locator('.value').innerText()
    const full = (await sales.locator('.value').getAttribute('title')) ?? shown
    expect(shown).toMatch(/^CN¥[\d,]+(\.\d\d|(\.\d+)?[KMB])$/)
    expect(full).toMatch(/^CN¥[\d,]+\.\d\d$/)
    await page.getByTestId('inbox-widget').waitFor()

    await funnel.getByTestId('open-report').click()
    await page.waitForURL(/\/r\/opportunity-funnel/)
    const table = page.getByTestId('report-table')
    await table.waitFor()
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1)
    await page.getByTestId('report-page').locator('canvas').waitFor()
    await page.screenshot({ path: `${SHOTS}/report-en.png`, fullPage: true })
    await table.getByTestId('report-cell').first().click()
    await page.waitForURL(/\/r\/opportunity-funnel\/drill/)
    await page.getByTestId('drill-table').waitFor()
    expect(await page.getByTestId('drill-table').locator('tbody tr a').count()).toBeGreaterThan(0)
    await page.screenshot({ path: `${SHOTS}/drill-en.png`, fullPage: true })
    expect(pageErrors).toEqual([])
    await page.close()
  }, 120_000)

  it.each(['en', 'zh-CN', 'ko'])(
    'reads the home page in %s without raw keys or float artefacts',
    async (locale) => {
      const page = await mgr.newPage()
      await page.addInitScript(
        (l) => (globalThis as unknown as PageStorage).localStorage.setItem('trellis.locale', l),
        locale,
      )
      await page.goto('/')
      await page.getByTestId('widget-funnel').locator('canvas').waitFor()
      await page.getByTestId('widget-salesByRep').getByTestId('open-report').waitFor()
      for (const id of ['salesThisMonth', 'dealsThisQuarter', 'winRate', 'outstanding'])
        await page.getByTestId(`widget-${id}`).getByTestId('kpi-value').waitFor()
      await page.waitForTimeout(300)
      await page.screenshot({ path: `${SHOTS}/home-${locale}.png`, fullPage: true })
      const text = (await page.getByTestId('dashboard').innerText()) ?? ''
      expect(text).not.toMatch(RAW_KEY)
      expect(text).not.toMatch(FLOAT)
      expect(text).not.toMatch(UUID)
      if (locale === 'zh-CN') expect(text).toContain('销售漏斗')
      if (locale === 'ko') expect(text).toContain('영업 퍼널')
      expect(pageErrors).toEqual([])
      await page.close()
    },
    60_000,
  )
})
