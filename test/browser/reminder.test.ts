import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../runtime/clock'
import { silentLogger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createInProcessQueue, runDueJobs } from '../../runtime/jobs'
import { automationHandlers } from '../../server/cli/automation-handlers'
import { readConfig } from '../../server/config'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, getJson } from './support/sign-in'
const SHOTS = '/tmp/reminder-shots'
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
/** The rep's zone, and the instance's: no daylight saving, so +08:00 all year. */
const ZONE = 'Asia/Shanghai'
const HOUR = 3_600_000

type Locale = 'en' | 'zh-CN' | 'ko'

/** Tomorrow's calendar day in ZONE, as the date part of a datetime-local value. */
function tomorrowInZone(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(Date.now() + 24 * HOUR)
}

/** A start time as the reader sees it: the day and time in their zone and language. */
const shown = (at: Date, locale: Locale) =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: ZONE,
  }).format(at)

/**
 * A rep sets a reminder through the generated form in Chromium; the instance's clock then
 * reaches the hour before it (the jobs run the way `trellis jobs run --now` runs them, on the
 * server's database), and the bell shows it live and opens the schedule item.
 */
describe.skipIf(!chromiumAvailable())('a schedule reminder in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let rep: BrowserContext
  let admin: BrowserContext
  let repId: string
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb()
    server = await serveInProcess(db)
    const url = server.url
    browser = await launchChromium()
    rep = await contextFor(browser, url, 'rep_east1', 'demo', { timezoneId: ZONE })
    rep.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
    admin = await contextFor(browser, url, 'admin', 'admin')
    repId = (await getJson<{ user: { id: string } }>(rep, '/api/auth/me')).user.id
  }, 300_000)

  afterAll(async () => {
    await rep?.close()
    await admin?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  /** What `trellis jobs run --now <at>` does: every pending event and due timer, clock at `at`. */
  async function runJobsAt(at: Date) {
    const queue = createInProcessQueue()
    const config = readConfig({ TRELLIS_TIME_ZONE: ZONE })
    const { handlers, beforeRound, stop } = await automationHandlers(db, config, silentLogger)
    try {
      const clock = fixedClock(at)
      return await runDueJobs({ db, queue, clock, log: silentLogger, handlers, beforeRound })
    } finally {
      stop()
      await queue.close()
    }
  }

  /** The rep's language for what the server sends them, set by an administrator. */
  async function setRepLocale(locale: Locale) {
    const res = await admin.request.patch(`/api/admin/users/${repId}`, { data: { locale } })
    expect(res.status(), await res.text()).toBe(200)
  }

  /** Fills the schedule item form like a rep and saves; answers the new record's id. */
  async function createThroughForm(page: Page, title: string, startLocal: string) {
    await page.goto('/e/scheduleItem/new')
    await page.getByTestId('field-title').fill(title)
    await page.getByTestId('field-type').selectOption('meeting')
    await page.getByTestId('field-startAt').fill(startLocal)
    await page.getByTestId('field-location').fill('Room 3')
    await page.getByTestId('save').click()
    await page.waitForURL(/\/e\/scheduleItem\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByTestId('title').textContent()).toBe(title)
    return page.url().split('/').pop() as string
  }

  /**
   * Runs the jobs due by `at` and marks what the rep was sent read: the demo data's own
   * reminders fall due at times that depend on the hour the test runs, so each step starts from
   * nothing unread and counts only what the step itself sends.
   */
  async function settleUntil(at: Date) {
    await runJobsAt(at)
    const res = await rep.request.post('/api/notifications/read-all', {
      headers: { origin: new URL(rep.pages()[0]?.url() || 'http://127.0.0.1').origin },
    })
    expect(res.status()).toBe(200)
  }

  const unread = (page: Page) =>
    page
      .getByTestId('notification-count')
      .count()
      .then(async (n) =>
        n ? Number(await page.getByTestId('notification-count').textContent()) : 0,
      )

  it('reminds the rep an hour before the start, live in the bell, and opens the item', async () => {
    const page = await rep.newPage()
    await setRepLocale('en')
    const title = 'Quarterly review with Acme'
    const startLocal = `${tomorrowInZone()}T10:00`
    const start = new Date(`${startLocal}:00+08:00`)
    const id = await createThroughForm(page, title, startLocal)
    await expect.poll(() => page.getByTestId('field-startAt').inputValue()).toBe(startLocal)
    await page.screenshot({ path: `${SHOTS}/form-en.png`, fullPage: true })
    const stored = await getJson<{ startAt: string; owner: string }>(
      rep,
      `/api/data/scheduleItem/${id}`,
    )
    expect(stored).toMatchObject({ startAt: start.toISOString(), owner: repId })

    // The created event plans the timer; a minute before its time nothing is sent.
    await runJobsAt(new Date())
    await settleUntil(new Date(start.getTime() - HOUR - 60_000))
    await page.reload()
    const early = await getJson<{ unreadCount: number }>(rep, '/api/notifications?unread=true')
    expect(early.unreadCount).toBe(0)
    await expect.poll(() => unread(page)).toBe(0)

    // A mark on the page's global object survives only if the page is not loaded again.
    await page.evaluate(() => ((globalThis as { stayed?: boolean }).stayed = true))
    const run = await runJobsAt(new Date(start.getTime() - HOUR))
    expect(run.timers).toBeGreaterThanOrEqual(1)
    await expect.poll(() => unread(page)).toBe(1)
    expect(
      await page.evaluate(() => (globalThis as { stayed?: boolean }).stayed),
      'the page was not reloaded',
    ).toBe(true)

    // The browser's clock at the reminder's time too, so "now" reads as it would then.
    await page.clock.setFixedTime(new Date(start.getTime() - HOUR + 30_000))
    await page.getByTestId('notification-bell').click()
    const panel = page.getByTestId('notification-panel')
    const item = panel.getByTestId('notification-item').first()
    await item.waitFor()
    const text = await panel.innerText()
    expect(text).toContain(`In one hour: ${title}`)
    expect(text).toContain(`Starts at ${shown(start, 'en')}`)
    expect(text).toMatch(/\bnow\b/)
    expect(text).not.toMatch(UUID)
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|notifications\.\w+/)
    await page.screenshot({ path: `${SHOTS}/bell-en.png` })

    await item.getByRole('button').first().click()
    await page.waitForURL(new RegExp(`/e/scheduleItem/${id}$`))
    await expect.poll(() => page.getByTestId('title').textContent()).toBe(title)
    await expect.poll(() => unread(page)).toBe(0)
    // The rep may not give the item away (no assign right): no clearing or picking its owner.
    await expect.poll(() => page.getByTestId('field-owner').isEditable()).toBe(false)
    expect(await page.getByTestId('field-owner-clear').count()).toBe(0)
    // …and still saves the fields it may change.
    await expect.poll(() => page.getByTestId('field-location').inputValue()).toBe('Room 3')
    await page.getByTestId('field-location').fill('Room 5')
    await page.getByTestId('save').click()
    await page.getByTestId('saved-banner').waitFor()
    await page.screenshot({ path: `${SHOTS}/record-en.png`, fullPage: true })
    expect(pageErrors).toEqual([])
    await page.close()
  })

  it.each([
    ['zh-CN', '一小时后：', '开始时间：'],
    ['ko', '1시간 후: ', '시작 시간: '],
  ] as const)('sends and shows the reminder in %s', async (locale, titleText, startText) => {
    await setRepLocale(locale)
    const page = await rep.newPage()
    await page.goto('/')
    await page.getByTestId('locale').selectOption(locale)
    const title = `Visit ${locale}`
    const startLocal = `${tomorrowInZone()}T${locale === 'ko' ? '15:30' : '14:00'}`
    const start = new Date(`${startLocal}:00+08:00`)
    await createThroughForm(page, title, startLocal)
    await page.screenshot({ path: `${SHOTS}/form-${locale}.png`, fullPage: true })
    await runJobsAt(new Date())
    await settleUntil(new Date(start.getTime() - HOUR - 60_000))
    await expect.poll(() => unread(page)).toBe(0)
    await runJobsAt(new Date(start.getTime() - HOUR))
    await expect.poll(() => unread(page)).toBe(1)

    await page.clock.setFixedTime(new Date(start.getTime() - HOUR + 30_000))
    await page.goto('/')
    await page.getByTestId('notification-bell').click()
    const panel = page.getByTestId('notification-panel')
    // The newest is in the rep's language now; older ones keep the language they were sent in.
    const newest = panel.getByTestId('notification-item').first()
    await newest.waitFor()
    const text = await newest.innerText()
    expect(text).toContain(`${titleText}${title}`)
    expect(text).toContain(`${startText}${shown(start, locale)}`)
    expect(text).not.toMatch(/In one hour|Starts at|ago|\d{4}-\d\d-\d\dT/)
    expect(await page.getByTestId('notification-read-all').innerText()).not.toMatch(/Mark all/)
    await page.screenshot({ path: `${SHOTS}/bell-${locale}.png` })
    await newest.getByTestId('notification-mark-read').click()
    await expect.poll(() => unread(page)).toBe(0)
    await page.getByTestId('locale').selectOption('en')
    await page.close()
  })
})
