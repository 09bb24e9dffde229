import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import {
  createInProcessQueue,
  scheduleTimer,
  storeDeadLetter,
  type DeadLetter,
  type JobInfo,
  type JobQueue,
} from '../../runtime/jobs'
import { publishMetadata } from '../../runtime/registry'
import { FIXTURE_BUNDLE } from '../support/app-fixture'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { serveInProcess } from './support/in-process-app'
import { contextFor } from './support/sign-in'

const SHOT = '/tmp/trellis-admin-jobs.png'
const SHOT_ZH = '/tmp/trellis-admin-jobs-zh.png'
const ERROR_TEXT = 'Mail server refused the message: 550 mailbox unavailable'

/**
 * The real server in this process over PGlite with its in-process queue, so the test can store a
 * dead letter the way a queue does and see the retried job reach the queue's worker.
 */
describe.skipIf(!chromiumAvailable())('the jobs admin page in Chromium', () => {
  let db: Db
  let queue: JobQueue
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let admin: BrowserContext
  let stored: DeadLetter
  const ran: JobInfo[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    db = await openDb({ dataDir: 'memory://' })
    await migratePlatform(db)
    const ctx = { db, user: SYSTEM_USER, clock: fixedClock(new Date()), log: silentLogger }
    await publishMetadata(ctx, FIXTURE_BUNDLE)
    await createUser(
      { db },
      { username: 'ops', password: 'ops-password-1', displayName: 'Operator', isAdmin: true },
    )
    queue = createInProcessQueue()
    queue.work('probe', async (_data, job) => void ran.push(job))
    server = await serveInProcess(db, { queue })
    const url = server.url
    await scheduleTimer(db, {
      kind: 'reminder',
      key: 'follow-up-acme',
      dueAt: new Date(Date.now() - 90 * 60_000),
    })
    stored = await storeDeadLetter(db, {
      name: 'probe',
      key: 'mail:quote-42',
      data: { quote: 42 },
      error: ERROR_TEXT,
      attempts: 5,
    })
    browser = await launchChromium()
    admin = await contextFor(browser, url, 'ops', 'ops-password-1')
    admin.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
  }, 180_000)

  afterAll(async () => {
    await admin?.close()
    await browser?.close()
    await server?.close()
    await queue?.close()
    await db?.close()
  }, 30_000)

  it('shows a stored dead letter, retries it and the row shows retried', async () => {
    const page = await admin.newPage()
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto('/')
    await page.getByTestId('nav-admin-jobs').click()
    await page.waitForURL(/\/admin\/jobs$/)
    const row = page.locator(`[data-testid="dead-letter-row"][data-key="${stored.key}"]`)
    await row.waitFor()
    await expect.poll(() => row.getByTestId('dead-letter-error-text').innerText()).toBe(ERROR_TEXT)
    expect(await row.getByTestId('dead-letter-state').innerText()).toBe('Open')
    expect(await page.getByTestId('jobs-card-dead').innerText()).toContain('1')
    expect(await page.getByTestId('jobs-card-timers').innerText()).toContain('1')
    expect(await page.getByTestId('jobs-card-lag').innerText()).toContain('None waiting')
    const timer = page.locator('[data-testid="overdue-row"][data-key="follow-up-acme"]')
    expect(await timer.innerText()).toContain('Reminder')
    expect(await timer.innerText()).toContain('1 hour ago')
    await page.screenshot({ path: SHOT, fullPage: true })

    const retry = row.getByTestId('dead-letter-retry')
    expect(await retry.isEnabled()).toBe(true)
    await retry.click()
    await expect.poll(() => row.getByTestId('dead-letter-state').innerText()).toMatch(/^Retried /)
    expect(await retry.isDisabled()).toBe(true)
    expect(await page.getByTestId('dead-letter-notice').innerText()).toContain('queued again')
    await expect.poll(() => ran.map((j) => j.key)).toEqual([`${stored.key}#retry1`])
    // After a refresh the server says so too: the letter stays retried, none is open.
    await page.getByTestId('jobs-refresh').click()
    await expect.poll(() => page.getByTestId('jobs-card-dead').innerText()).toContain('0')
    expect(await row.getByTestId('dead-letter-state').innerText()).toMatch(/^Retried /)
    expect(await row.getByTestId('dead-letter-retry').isDisabled()).toBe(true)
    expect(pageErrors).toEqual([])
    await page.close()
  })

  it('speaks Simplified Chinese when the reader picks it', async () => {
    const page = await admin.newPage()
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto('/admin/jobs')
    await page.getByTestId('locale').selectOption('zh-CN')
    const row = page.locator(`[data-testid="dead-letter-row"][data-key="${stored.key}"]`)
    await expect
      .poll(() => row.getByTestId('dead-letter-state').innerText())
      .toMatch(/^已于 .* 重试$/)
    expect(await page.getByTestId('nav-admin-jobs').innerText()).toBe('后台任务')
    expect(await page.getByTestId('jobs-refresh').innerText()).toBe('刷新')
    expect(await row.getByTestId('dead-letter-retry').innerText()).toBe('重试')
    expect(await page.getByTestId('jobs-card-dead').innerText()).toContain('未处理的死信')
    const timer = page.locator('[data-testid="overdue-row"][data-key="follow-up-acme"]')
    expect(await timer.innerText()).toContain('提醒')
    expect(await timer.innerText()).toContain('小时前')
    await page.screenshot({ path: SHOT_ZH, fullPage: true })
    await page.getByTestId('locale').selectOption('en')
    expect(pageErrors).toEqual([])
    await page.close()
  })
})
