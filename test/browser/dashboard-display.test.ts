import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { notify } from '../../runtime/notifications'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, getJson } from './support/sign-in'

type PageStorage = { localStorage: { setItem(key: string, value: string): void } }
type Marked = { trellisMark?: number }
type Styled = { getComputedStyle(el: unknown): { color: string } }

/** The ticket priorities' colours as the service module gives them (gray, blue, orange, red). */
const PRIORITY_COLORS: Record<string, string> = {
  Low: '#6b7280',
  Normal: '#2563eb',
  High: '#ea580c',
  Urgent: '#dc2626',
}
/** A month as each language names it, and the raw key no reader should see. */
const MONTH: Record<string, RegExp> = {
  en: /^[A-Z][a-z]{2} \d{4}$/,
  'zh-CN': /^\d{4}年\d{1,2}月$/,
  ko: /^\d{4}년 \d{1,2}월$/,
}
const RAW_MONTH = /\b\d{4}-\d{2}\b/

/**
 * What the dashboards show that only the page can tell: the notifications widget following a
 * switch of language at once, the SLA chart's priorities in their order and colours, a KPI where
 * lower is better, and trend months in the reader's language.
 */
describe.skipIf(!chromiumAvailable())('the dashboards’ display in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let mgr: BrowserContext
  let agent: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    db = await openDemoDb(0.1)
    server = await serveInProcess(db)
    browser = await launchChromium()
    const viewport = { width: 1400, height: 1000 }
    mgr = await contextFor(browser, server.url, 'mgr_east', 'demo', { viewport })
    agent = await contextFor(browser, server.url, 'agent1', 'demo', { viewport })
    for (const c of [mgr, agent])
      c.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
  }, 300_000)

  afterAll(async () => {
    await mgr?.close()
    await agent?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  async function openIn(context: BrowserContext, path: string, locale: string): Promise<Page> {
    const page = await context.newPage()
    await page.addInitScript(
      (l) => (globalThis as unknown as PageStorage).localStorage.setItem('trellis.locale', l),
      locale,
    )
    await page.goto(path)
    return page
  }

  it('shows the notifications widget in the language switched to, without a reload', async () => {
    const me = await getJson<{ user: { id: string } }>(mgr, '/api/auth/me')
    await notify(db, {
      userId: me.user.id,
      title: 'Quote approved for Acme',
      texts: {
        en: { title: 'Quote approved for Acme', body: null },
        'zh-CN': { title: 'Acme 的报价已批准', body: null },
        ko: { title: 'Acme 견적이 승인되었습니다', body: null },
      },
      key: `dashboard-display-${Date.now()}`,
    })
    const page = await openIn(mgr, '/', 'en')
    const widget = page.getByTestId('widget-notifications')
    await expect.poll(() => widget.innerText()).toContain('Quote approved for Acme')
    await page.getByTestId('widget-funnel').locator('canvas').waitFor()
    // A reload would lose this mark: the switch must re-render in place.
    await page.evaluate(() => ((globalThis as Marked).trellisMark = 1))
    // A slow network under the dashboard's own reload: the widgets must not wait for it.
    await page.route('**/api/dashboard', async (route) => {
      await new Promise((done) => setTimeout(done, 3000))
      await route.continue()
    })
    const asked: string[] = []
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.pathname.startsWith('/api/')) asked.push(url.pathname + url.search)
    })

    await page.getByTestId('locale').selectOption('zh-CN')
    await expect.poll(() => widget.innerText(), { timeout: 2000 }).toContain('Acme 的报价已批准')
    await expect.poll(() => widget.locator('h2').innerText()).toBe('我的通知')
    await page.waitForTimeout(1000)
    // Once per widget for the switch, not again when the dashboard around them came back.
    const count = (prefix: string) => asked.filter((u) => u.startsWith(prefix)).length
    expect(count('/api/notifications?limit=5')).toBe(1)
    expect(count('/api/dashboard/kpis/salesThisMonth')).toBe(1)
    expect(count('/api/reports/opportunity-funnel/run')).toBe(1)
    expect(count('/api/reports/sales-by-rep-month/run')).toBe(1)
    expect(count('/api/inbox?')).toBe(1)
    await page.unroute('**/api/dashboard')

    await page.getByTestId('locale').selectOption('ko')
    await expect.poll(() => widget.innerText()).toContain('Acme 견적이 승인되었습니다')
    expect(await widget.innerText()).not.toContain('Quote approved')
    expect(await page.evaluate(() => (globalThis as Marked).trellisMark)).toBe(1)
    await page.getByTestId('locale').selectOption('en')
    await expect.poll(() => widget.innerText()).toContain('Quote approved for Acme')
    expect(pageErrors).toEqual([])
    await page.close()
  }, 60_000)

  it('draws the SLA chart’s priorities in their order and colours', async () => {
    const page = await openIn(agent, '/', 'en')
    const chart = page.getByTestId('widget-sla').getByTestId('report-chart')
    await chart.locator('canvas').waitFor()
    const series = ((await chart.getAttribute('data-series')) ?? '')
      .split('|')
      .map((s) => s.split('='))
    expect(series.length).toBeGreaterThan(1)
    const order = Object.keys(PRIORITY_COLORS)
    const shown = series.map(([label]) => label)
    expect(shown).toEqual(order.filter((l) => shown.includes(l)))
    for (const [label, color] of series) expect(color).toBe(PRIORITY_COLORS[label])
    expect(pageErrors).toEqual([])
    await page.close()
  }, 60_000)

  it('reads the change of SLA breaches as good news when they fell, bad when they rose', async () => {
    type Kpi = { value: number; previous: { value: number } | null }
    const kpi = await getJson<Kpi>(agent, '/api/dashboard/kpis/slaBreaches')
    const page = await openIn(agent, '/', 'en')
    const change = page.getByTestId('widget-slaBreaches').getByTestId('kpi-change')
    const before = kpi.previous?.value ?? 0
    expect(before, 'the demo has breaches in the 90 days before').toBeGreaterThan(0)
    expect(kpi.value, 'and a different number since').not.toBe(before)
    await change.waitFor()
    expect(await change.getAttribute('data-tone')).toBe(kpi.value < before ? 'good' : 'bad')
    const color = await change.evaluate(
      (el) => (globalThis as unknown as Styled).getComputedStyle(el).color,
    )
    expect(color).toBe(kpi.value < before ? 'rgb(21, 128, 61)' : 'rgb(185, 28, 28)')
    await page.close()
  }, 60_000)

  it.each(Object.keys(MONTH))(
    'names the SLA report’s months in %s',
    async (locale) => {
      const page = await openIn(agent, '/r/ticket-sla', locale)
      const table = page.getByTestId('report-table')
      await table.locator('tbody tr').first().waitFor()
      const months = await table.locator('tbody tr td:first-child').allInnerTexts()
      expect(months.length).toBeGreaterThan(1)
      for (const m of months.filter(Boolean)) expect(m.trim()).toMatch(MONTH[locale])
      expect(await table.innerText()).not.toMatch(RAW_MONTH)
      expect(pageErrors).toEqual([])
      await page.close()
    },
    60_000,
  )
})
