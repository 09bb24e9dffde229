import { mkdirSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, useLocale } from './support/sign-in'

/*
 * The service desk's dashboard on a fresh demo, as its agent and a service manager read it: SLA
 * compliance and breaches of the last 90 days are real figures, the monthly chart counts tickets
 * in whole numbers, and a year later, with no tickets in the period, compliance reads as no
 * value rather than 0 %. Screenshots go to /tmp/service-desk-shots.
 */

const SHOTS = '/tmp/service-desk-shots'
const RAW_KEY = /\b(report|dash|period|home)\.[a-z]+[A-Z]?\w*/
const FLOAT = /\d\.\d{5,}/
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
/** Option values and measure ids that would mean a label is missing. */
const CODES = /\b(inProgress|slaCompliance|slaBreaches|ticket-sla|last90Days)\b/
const YEAR_MS = 365 * 86_400_000
const TITLES = {
  en: 'SLA compliance, last 90 days',
  'zh-CN': '最近 90 天 SLA 达成率',
  ko: '최근 90일 SLA 준수율',
} as const

describe.skipIf(!chromiumAvailable())('the service desk dashboard in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let later: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb(0.1)
    server = await serveInProcess(db)
    // The same desk a year on: nobody reported a ticket in the last 90 days, nor the 90 before.
    later = await serveInProcess(db, { clock: { now: () => new Date(Date.now() + YEAR_MS) } })
    browser = await launchChromium()
    // The demo has no service manager: the administrator appoints one, as a customer would.
    const admin = await open(server.url, 'admin', 'admin', 'en')
    const [service] = await db.query<{ id: string }>(
      sql`select id from departments where name = 'Service'`,
    )
    const res = await admin.request.post('/api/admin/users', {
      data: {
        username: 'svc_mgr',
        password: 'service-manager-1',
        displayName: '韩梅',
        departmentId: service.id,
        roles: ['serviceManager', 'employee'],
      },
    })
    expect(res.status()).toBe(201)
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await later?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  async function open(url: string, username: string, password: string, locale: string) {
    const context = await contextFor(browser, url, username, password, {
      viewport: { width: 1400, height: 1100 },
    })
    await useLocale(context, locale)
    context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
    contexts.push(context)
    return context
  }

  /** The home page with both KPIs and the SLA chart drawn. */
  async function home(context: BrowserContext): Promise<Page> {
    const page = await context.newPage()
    await page.goto('/')
    await page.locator('[data-dashboard="service-agent-home"]').waitFor()
    for (const id of ['slaCompliance', 'slaBreaches'])
      await page.getByTestId(`widget-${id}`).getByTestId('kpi-value').waitFor()
    const chart = page.getByTestId('widget-sla').getByTestId('report-chart')
    await expect.poll(() => chart.getAttribute('data-y-ticks')).toMatch(/\d/)
    return page
  }

  const kpi = async (page: Page, id: string) =>
    (await page.getByTestId(`widget-${id}`).locator('.value').innerText()).trim()

  it.each([
    { username: 'agent1', password: 'demo', locale: 'en' },
    { username: 'svc_mgr', password: 'service-manager-1', locale: 'zh-CN' },
    { username: 'svc_mgr', password: 'service-manager-1', locale: 'ko' },
  ] as const)(
    'shows $username the SLA met and missed in recent months, in whole tickets ($locale)',
    async ({ username, password, locale }) => {
      const page = await home(await open(server.url, username, password, locale))
      expect(await kpi(page, 'slaCompliance')).toMatch(/^\d{1,3}(\.\d)?%$/)
      expect(await kpi(page, 'slaCompliance')).not.toBe('0%')
      expect(Number(await kpi(page, 'slaBreaches'))).toBeGreaterThan(0)
      const chart = page.getByTestId('widget-sla').getByTestId('report-chart')
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(2)
      const ticks = String(await chart.getAttribute('data-y-ticks'))
        .split(' ')
        .map(Number)
      expect(ticks.length).toBeGreaterThan(1)
      expect(ticks.filter((t) => !Number.isInteger(t))).toEqual([])
      await page.waitForTimeout(300)
      await page.screenshot({ path: `${SHOTS}/${username}-${locale}.png`, fullPage: true })
      const text = await page.getByTestId('dashboard').innerText()
      expect(text).toContain(TITLES[locale])
      for (const bad of [RAW_KEY, FLOAT, UUID, CODES]) expect(text, text).not.toMatch(bad)
      expect(pageErrors).toEqual([])
      await page.close()
    },
    90_000,
  )

  it('shows no value, not 0 %, for the compliance of a period without tickets', async () => {
    const page = await home(await open(later.url, 'agent1', 'demo', 'en'))
    expect(await kpi(page, 'slaCompliance')).toBe('—')
    const previous = await page.getByTestId('widget-slaCompliance').locator('.previous').innerText()
    expect(previous).toContain('—')
    expect(previous).not.toMatch(/\d%/)
    // A count of no tickets is a real 0, and the empty chart's axis still counts whole tickets.
    expect(await kpi(page, 'slaBreaches')).toBe('0')
    const chart = page.getByTestId('widget-sla').getByTestId('report-chart')
    const ticks = String(await chart.getAttribute('data-y-ticks'))
      .split(' ')
      .map(Number)
    expect(ticks.filter((t) => !Number.isInteger(t))).toEqual([])
    await page.screenshot({ path: `${SHOTS}/agent1-a-year-later.png`, fullPage: true })
    expect(pageErrors).toEqual([])
    await page.close()
  }, 90_000)
})
