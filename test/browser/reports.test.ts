import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, getJson } from './support/sign-in'

/*
 * The six reports shipped for visits, expenses, the customer profile, products, campaigns and
 * ticket SLAs, drawn by the workspace for the role whose dashboard shows them, in English and
 * Chinese: the page and its dashboard widget read without raw keys, codes, ids or float
 * artefacts, in the reader's language. Screenshots go to /tmp/report-shots.
 */

const SHOTS = '/tmp/report-shots'
const RAW_KEY = /\b(report|dash|period|home)\.[a-z]+[A-Z]?\w*/
const FLOAT = /\d\.\d{5,}/
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
/** Option values and measure ids that would mean a label is missing. */
const CODES =
  /\b(needsAnalysis|inProgress|followUps|wonAmount|costPerLead|coldCall|manufacturing|hardware|travel|entertainment)\b/

type PageStorage = { localStorage: { setItem(key: string, value: string): void } }

/** Report → the demo user whose dashboard shows it, the widget and the Chinese title. */
const REPORTS = [
  {
    id: 'visit-analysis',
    user: 'mgr_east',
    widget: 'visits',
    zh: '拜访分析',
    en: 'Visit analysis',
  },
  {
    id: 'expenses-by-rep',
    user: 'mgr_east',
    widget: 'expenses',
    zh: '销售费用（按销售）',
    en: 'Expenses by rep',
  },
  {
    id: 'customer-profile',
    user: 'director',
    widget: 'customers',
    zh: '客户构成',
    en: 'Customer profile',
  },
  {
    id: 'product-ranking',
    user: 'director',
    widget: 'products',
    zh: '畅销产品前十',
    en: 'Top 10 products',
  },
  {
    id: 'campaign-results',
    user: 'director',
    widget: 'campaigns',
    zh: '市场活动投入产出',
    en: 'Campaign cost and results',
  },
  {
    id: 'ticket-sla',
    user: 'agent1',
    widget: 'sla',
    zh: '工单 SLA 达成率',
    en: 'Ticket SLA compliance',
  },
]

describe.skipIf(!chromiumAvailable())('the shipped reports in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  const contexts = new Map<string, BrowserContext>()
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb(0.1)
    server = await serveInProcess(db)
    browser = await launchChromium()
    for (const user of new Set(REPORTS.map((r) => r.user))) {
      const context = await contextFor(browser, server.url, user, 'demo', {
        viewport: { width: 1400, height: 1000 },
      })
      context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
      contexts.set(user, context)
    }
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts.values()) await context.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  async function open(user: string, locale: string, path: string): Promise<Page> {
    const page = await contexts.get(user)!.newPage()
    await page.addInitScript(
      (l) => (globalThis as unknown as PageStorage).localStorage.setItem('trellis.locale', l),
      locale,
    )
    await page.goto(path)
    return page
  }

  /**
   * How far the report table's last header reaches past the box it is drawn in (its scroller),
   * in pixels: more than 0 is a column cut off at the edge.
   */
  async function overhang(within: Locator): Promise<number> {
    const scroller = within.getByTestId('report-table').locator('xpath=..')
    const right = (box: { x: number; width: number } | null) => box!.x + box!.width
    const heads = await scroller.locator('th').all()
    const rights = await Promise.all(heads.map(async (th) => right(await th.boundingBox())))
    return Math.max(...rights) - right(await scroller.boundingBox())
  }

  function expectReadable(text: string, where: string) {
    expect(text, where).not.toMatch(RAW_KEY)
    expect(text, where).not.toMatch(FLOAT)
    expect(text, where).not.toMatch(UUID)
    expect(text, where).not.toMatch(CODES)
  }

  for (const report of REPORTS)
    it.each(['en', 'zh-CN'])(
      `draws ${report.id} for ${report.user} in %s, on the page and on the dashboard`,
      async (locale) => {
        const page = await open(report.user, locale, `/r/${report.id}`)
        await page.getByTestId('report-page').waitFor()
        await page.waitForTimeout(400)
        await page.screenshot({ path: `${SHOTS}/${report.id}-${locale}.png`, fullPage: true })
        const text = await page.locator('main').innerText()
        expect(text).toContain(locale === 'zh-CN' ? report.zh : report.en)
        expect(await page.getByTestId('report-cell').count(), report.id).toBeGreaterThan(0)
        expectReadable(text, `${report.id} ${locale}`)
        await page.close()

        const home = await open(report.user, locale, '/')
        const widget = home.getByTestId(`widget-${report.widget}`)
        await widget.getByTestId('open-report').waitFor()
        await home.waitForTimeout(400)
        await home.screenshot({
          path: `${SHOTS}/home-${report.user}-${locale}.png`,
          fullPage: true,
        })
        expectReadable(await widget.innerText(), `${report.widget} widget ${locale}`)
        await home.close()
        expect(pageErrors).toEqual([])
      },
      90_000,
    )

  it.each(['en', 'zh-CN'])(
    'shows every column of the customer profile in its widget and a lost-deals chart of one series in %s',
    async (locale) => {
      for (const viewport of [
        { width: 1400, height: 1000 },
        { width: 1280, height: 800 },
      ]) {
        const home = await open('director', locale, '/')
        await home.setViewportSize(viewport)
        const widget = home.getByTestId('widget-customers')
        await widget.getByTestId('open-report').waitFor()
        await home.screenshot({
          path: `${SHOTS}/home-director-${viewport.width}-${locale}.png`,
          fullPage: true,
        })
        expect(await overhang(widget), `widget ${viewport.width} ${locale}`).toBeLessThanOrEqual(
          0.5,
        )
        // Every lost deal names its competitor (the flow asks for one): a series per
        // competitor, none of them "(empty)".
        const chart = home.getByTestId('widget-lostDeals').getByTestId('report-chart')
        await expect.poll(() => chart.getAttribute('data-series')).toMatch(/\|/)
        expect(await chart.getAttribute('data-series')).not.toMatch(/\(empty\)=|（空）=/)
        await home.close()
        const page = await open('director', locale, '/r/customer-profile')
        await page.setViewportSize(viewport)
        await page.getByTestId('report-cell').first().waitFor()
        expect(await overhang(page.locator('main')), `page ${viewport.width}`).toBeLessThanOrEqual(
          0.5,
        )
        await page.close()
      }
      expect(pageErrors).toEqual([])
    },
    90_000,
  )

  it('filters by custom dates from Dates…, its label on one line', async () => {
    const page = await open('director', 'ko', '/r/product-ranking')
    await page.getByTestId('report-page').waitFor()
    // 기간 (period) and 분류 (category): each label one line high, never a word per line.
    for (const span of await page.getByTestId('report-params').locator('label > span').all()) {
      const box = (await span.boundingBox())!
      expect(box.height, await span.innerText()).toBeLessThan(24)
    }
    await page.getByTestId('param-period').selectOption('$custom')
    const from = page.getByTestId('param-period-from')
    await from.waitFor()
    await from.fill('2026-01-01')
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('2026-01-01..')
    await page.getByTestId('param-period-to').fill('2026-03-31')
    await expect
      .poll(() => new URL(page.url()).searchParams.get('period'))
      .toBe('2026-01-01..2026-03-31')
    await page.getByTestId('report-page').waitFor()
    await page.close()
    expect(pageErrors).toEqual([])
  })

  it('shows every row of the customer profile in its widget, scrolling inside it, the total last', async () => {
    const run = await getJson<{ rows: { total?: boolean }[] }>(
      contexts.get('director')!,
      '/api/reports/customer-profile/run',
    )
    // More rows than fit the two-row-high widget (it used to show 8 and drop the rest).
    expect(run.rows.length).toBeGreaterThan(8)
    expect(run.rows[run.rows.length - 1].total).toBe(true)
    const home = await open('director', 'en', '/')
    const widget = home.getByTestId('widget-customers')
    await widget.getByTestId('open-report').waitFor()
    const rows = widget.getByTestId('report-table').locator('tbody tr')
    expect(await rows.count()).toBe(run.rows.length)
    const scroller = widget.getByTestId('report-scroll')
    const box = await scroller.evaluate((el) => ({
      scrollHeight: (el as unknown as { scrollHeight: number }).scrollHeight,
      clientHeight: (el as unknown as { clientHeight: number }).clientHeight,
    }))
    expect(box.scrollHeight).toBeGreaterThan(box.clientHeight)
    // The total row is reached by scrolling the table, and the header stays above it.
    const last = rows.last()
    expect(await last.getAttribute('class')).toContain('total')
    await last.scrollIntoViewIfNeeded()
    const [head, end, frame] = await Promise.all([
      widget.locator('thead th').first().boundingBox(),
      last.boundingBox(),
      scroller.boundingBox(),
    ])
    expect(end!.y + end!.height).toBeLessThanOrEqual(frame!.y + frame!.height + 0.5)
    expect(head!.y).toBeGreaterThanOrEqual(frame!.y - 0.5)
    expect(head!.y + head!.height).toBeLessThanOrEqual(end!.y + 0.5)
    await home.close()
    expect(pageErrors).toEqual([])
  }, 90_000)

  it.each([
    ['en', 'Win rate'],
    ['zh-CN', '赢单率'],
  ])('labels the funnel’s totals under its table in %s', async (locale, winRate) => {
    const page = await open('mgr_east', locale, '/r/opportunity-funnel')
    const totals = page.getByTestId('report-totals')
    await totals.waitFor()
    await page.screenshot({ path: `${SHOTS}/opportunity-funnel-${locale}.png`, fullPage: true })
    const text = await totals.innerText()
    expect(text).toContain(winRate)
    expect(text).toMatch(/\d+(\.\d)?%/)
    expect(text).toMatch(/¥[\d,]+\.\d{2}/)
    expectReadable(text, `funnel totals ${locale}`)
    await page.close()
  })
})
