import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { notify } from '../../runtime/notifications'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, getJson } from './support/sign-in'
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const SHOT = '/tmp/trellis-notifications-dropdown.png'

interface Customer {
  id: string
  name: string
}

/**
 * The real server in this process (the demo on embedded PGlite, served over HTTP), so the test
 * can store a notification the way the alert layer does: `notify` on the same database.
 */
describe.skipIf(!chromiumAvailable())('the notification bell in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let url: string
  let browser: Browser
  let rep: BrowserContext
  let repId: string
  let customer: Customer
  const pageErrors: string[] = []
  let keys = 0

  beforeAll(async () => {
    ensureDesignerBuild()
    db = await openDemoDb()
    server = await serveInProcess(db)
    url = server.url
    browser = await launchChromium()
    rep = await contextFor(browser, url, 'rep_east1', 'demo')
    rep.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
    repId = (await getJson<{ user: { id: string } }>(rep, '/api/auth/me')).user.id
    const mine = await getJson<{ data: Customer[] }>(rep, '/api/data/customer?limit=1')
    expect(mine.data, 'a demo customer of rep_east1').toHaveLength(1)
    customer = mine.data[0]
  }, 300_000)

  afterAll(async () => {
    await rep?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  const send = (title: string, body?: string) =>
    notify(db, {
      userId: repId,
      entity: 'customer',
      recordId: customer.id,
      alert: 'customerFollowUp',
      title,
      body,
      key: `browser-${++keys}`,
    })

  async function openWorkspace(): Promise<Page> {
    const page = await rep.newPage()
    await page.goto('/')
    await page.getByTestId('notification-bell').waitFor()
    return page
  }

  it('raises the count without a reload and opens the record from the dropdown', async () => {
    const page = await openWorkspace()
    // The stream is open once the first count arrived: nothing unread yet, no badge.
    await page.waitForFunction(() => performance.getEntriesByType('resource').length > 0)
    await expect.poll(() => page.getByTestId('notification-count').count()).toBe(0)
    const before = page.url()

    await send(`Follow up ${customer.name} today`, `${customer.name} asked for a new quote`)
    await expect.poll(() => page.getByTestId('notification-count').textContent()).toBe('1')
    await send(`Quote for ${customer.name} expires in 3 days`)
    await expect.poll(() => page.getByTestId('notification-count').textContent()).toBe('2')
    expect(page.url()).toBe(before)

    await page.getByTestId('notification-bell').click()
    const panel = page.getByTestId('notification-panel')
    await expect.poll(() => panel.getByTestId('notification-item').count()).toBe(2)
    const text = (await panel.innerText()).trim()
    expect(text).toContain(`Quote for ${customer.name} expires in 3 days`)
    expect(text).toContain(`${customer.name} asked for a new quote`)
    expect(text).toContain('Mark all as read')
    expect(text).toMatch(/now|second|minute/)
    expect(text).not.toMatch(UUID)
    expect(text).not.toMatch(/notifications\.\w+/)
    await page.screenshot({ path: SHOT })

    // The older one opens its record and is marked read; the newer one stays unread.
    await panel.getByTestId('notification-item').nth(1).getByRole('button').first().click()
    await page.waitForURL(new RegExp(`/e/customer/${customer.id}$`))
    await expect.poll(() => page.getByTestId('title').textContent()).toBe(customer.name)
    await expect.poll(() => page.getByTestId('notification-count').textContent()).toBe('1')

    await page.getByTestId('notification-bell').click()
    await page.getByTestId('notification-read-all').click()
    await expect.poll(() => page.getByTestId('notification-count').count()).toBe(0)
    expect(pageErrors).toEqual([])
    await page.close()
  })

  it('shows the texts in the reader’s language', async () => {
    await send(`Call ${customer.name}`)
    const page = await openWorkspace()
    await page.getByTestId('locale').selectOption('zh-CN')
    await page.getByTestId('notification-bell').click()
    const panel = page.getByTestId('notification-panel')
    await panel.getByTestId('notification-item').first().waitFor()
    const text = await panel.innerText()
    expect(text).toContain('通知')
    expect(text).toContain('全部标记为已读')
    expect(text).toMatch(/前|现在/)
    expect(text).not.toMatch(/Mark all|ago|notifications\./)
    await page.screenshot({ path: SHOT.replace('.png', '-zh.png') })
    await page.getByTestId('locale').selectOption('en')
    await page.close()
  })

  it('keeps the count by polling when the event stream cannot be opened', async () => {
    const page = await rep.newPage()
    await page.route('**/api/notifications/stream', (route) => route.abort())
    const unread = await getJson<{ unreadCount: number }>(rep, '/api/notifications?limit=1')
    await page.goto('/')
    await expect
      .poll(() => page.getByTestId('notification-count').textContent())
      .toBe(String(unread.unreadCount))
    await page.close()
  })
})
