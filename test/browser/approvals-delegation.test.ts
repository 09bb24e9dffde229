import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { loadPublishedMetadata } from '../../runtime/registry'
import { ensureDemoAdmin, installModules } from '../../server/cli/demo'
import { ensureDemoOrganisation } from '../../server/cli/demo-org'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { serveInProcess } from './support/in-process-app'
import { contextFor, getJson } from './support/sign-in'

const SHOTS = '/tmp/delegation-shots'
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const RAW_KEY = /\b(flow|approval|inbox)\.[a-z]+/i
const ZONE = 'Asia/Shanghai'

/** The four modules and the demo organisation in memory, no demo records. */
async function openOrgDb(): Promise<Db> {
  const db = await openDb({ dataDir: 'memory://' })
  await migratePlatform(db)
  const meta = await loadPublishedMetadata(db)
  const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta }
  const installed = await installModules(ctx)
  await ensureDemoOrganisation(installed, await ensureDemoAdmin(installed))
  return db
}

function dayFromNow(days: number): string {
  const at = Date.now() + days * 24 * 3_600_000
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(at)
}

/**
 * Emma Rep's leave request waits for her manager Evan East. Evan delegates it to Eli Rep from
 * the record page, finds it in his Done box marked "Delegated to Eli Rep" (in English, Chinese
 * and Korean), takes it back from the record page, and approves it himself; the timeline says
 * he took it back from Eli.
 */
describe.skipIf(!chromiumAvailable())('delegating and taking back in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let rep: BrowserContext
  let mgr: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openOrgDb()
    server = await serveInProcess(db)
    browser = await launchChromium()
    rep = await contextFor(browser, server.url, 'rep_east1', 'demo', { timezoneId: ZONE })
    mgr = await contextFor(browser, server.url, 'mgr_east', 'demo', { timezoneId: ZONE })
    for (const c of [rep, mgr])
      c.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
  }, 300_000)

  afterAll(async () => {
    await rep?.close()
    await mgr?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  async function cleanText(page: Page, testid: string): Promise<string> {
    const text = (await page.getByTestId(testid).innerText()).trim()
    expect(text, `${testid} shows an id`).not.toMatch(UUID)
    expect(text, `${testid} shows a message key`).not.toMatch(RAW_KEY)
    return text
  }

  async function setLocale(page: Page, locale: 'en' | 'zh-CN' | 'ko') {
    await page.getByTestId('locale').waitFor()
    if ((await page.getByTestId('locale').inputValue()) !== locale) {
      const [saved] = await Promise.all([
        page.waitForResponse(
          (r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH',
        ),
        page.getByTestId('locale').selectOption(locale),
      ])
      expect(saved.status()).toBe(200)
    }
    await page.reload()
  }

  /** Emma's leave request, filed and submitted through the API. */
  async function submittedLeave(): Promise<string> {
    const made = await rep.request.post('/api/data/leaveRequest', {
      data: {
        leaveType: 'annual',
        startDate: dayFromNow(7),
        endDate: dayFromNow(8),
        reason: 'Family visit',
      },
    })
    expect(made.status(), await made.text()).toBe(201)
    const { id, version } = (await made.json()) as { id: string; version: number }
    const fired = await rep.request.post(`/api/data/leaveRequest/${id}/transitions/submit`, {
      data: { version },
    })
    expect(fired.status(), await fired.text()).toBe(200)
    return id
  }

  it('the manager delegates, sees it in the done box, takes it back and approves', async () => {
    const id = await submittedLeave()
    const page = await mgr.newPage()
    await page.goto('/')
    await setLocale(page, 'en')

    await page.goto(`/e/leaveRequest/${id}`)
    await page.getByTestId('task-delegate').click()
    const picker = page.getByTestId('task-to')
    await picker.click()
    await picker.fill('Eli')
    await page.getByTestId('task-to-options').getByText('Eli Rep').click()
    await page.getByTestId('task-comment').fill('Please cover while I travel')
    await page.getByTestId('task-confirm').click()
    // Delegated: no decision buttons of mine, only taking it back.
    await page.getByTestId('task-reclaim').waitFor()
    await expect.poll(() => page.getByTestId('task-approve').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/1-delegated-en.png`, fullPage: true })

    // Out of the pending box, in the done box marked with the delegate.
    await page.goto('/inbox')
    await page.getByTestId('inbox-table').waitFor()
    const pendingRow = page.locator(`[data-testid="inbox-row"][data-record="${id}"]`)
    await expect.poll(() => pendingRow.count()).toBe(0)
    await page.goto('/inbox?box=done')
    const row = page.locator(`[data-testid="inbox-row"][data-record="${id}"]`)
    await row.waitFor()
    await expect
      .poll(() => row.getByTestId('inbox-delegated').innerText())
      .toBe('Delegated to Eli Rep')
    await cleanText(page, 'inbox-table')
    await page.screenshot({ path: `${SHOTS}/2-done-box-en.png`, fullPage: true })
    for (const [locale, text] of [
      ['zh-CN', '已委派给 Eli Rep'],
      ['ko', 'Eli Rep에게 위임함'],
    ] as const) {
      await setLocale(page, locale)
      await expect.poll(() => row.getByTestId('inbox-delegated').innerText()).toBe(text)
      await cleanText(page, 'inbox-table')
      await page.screenshot({ path: `${SHOTS}/3-done-box-${locale}.png`, fullPage: true })
    }
    await setLocale(page, 'en')

    // Back to the record: take it back, then approve it myself.
    await row.getByTestId('inbox-open').click()
    await page.waitForURL(new RegExp(`/e/leaveRequest/${id}$`))
    await page.getByTestId('task-reclaim').click()
    await page.getByTestId('task-comment').fill('Back early')
    await page.getByTestId('task-confirm').click()
    await page.getByTestId('task-approve').waitFor()
    const line = page.locator('[data-testid="timeline-entry"][data-action="reclaim"]')
    await expect.poll(() => line.innerText()).toContain('Evan East')
    const text = await line.innerText()
    expect(text).toContain('took back the task')
    expect(text).toContain('from Eli Rep')
    expect(text).toContain('Back early')
    await cleanText(page, 'approval-panel')
    await page.screenshot({ path: `${SHOTS}/4-taken-back-en.png`, fullPage: true })
    for (const [locale, action] of [
      ['zh-CN', '收回了委派'],
      ['ko', '위임 회수'],
    ] as const) {
      await setLocale(page, locale)
      await expect.poll(() => line.innerText()).toContain(action)
      expect(await line.innerText()).toContain('Eli Rep')
      await cleanText(page, 'approval-panel')
      await page.screenshot({ path: `${SHOTS}/5-taken-back-${locale}.png`, fullPage: true })
    }
    await setLocale(page, 'en')

    await page.getByTestId('task-approve').click()
    await page.getByTestId('task-confirm').click()
    await expect
      .poll(() => page.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('approved')
    const approved = await getJson<{ timeline: { action: string; by: { name: string } }[] }>(
      mgr,
      `/api/data/leaveRequest/${id}/approval`,
    )
    expect(approved.timeline.find((e) => e.action === 'approve')?.by.name).toBe('Evan East')
    expect(pageErrors).toEqual([])
  }, 240_000)
})
