import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { startTrellis, type TrellisServer } from './support/trellis-server'

const RECORD_URL = /\/e\/customer\/[0-9a-f-]{36}$/
// The demo administrator of a fresh instance (override for an instance given by TRELLIS_TEST_URL).
const USERNAME = process.env.TRELLIS_TEST_USERNAME ?? 'admin'
const PASSWORD = process.env.TRELLIS_TEST_PASSWORD ?? 'admin'

describe.skipIf(!chromiumAvailable())('the workspace in Chromium', () => {
  let server: TrellisServer
  let browser: Browser
  let context: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    server = await startTrellis(240_000)
    browser = await launchChromium()
    context = await browser.newContext({ baseURL: server.url, locale: 'en-US' })
    context.setDefaultTimeout(15_000)
    context.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
    // First start installs four modules and demo data through the records runtime: allow time.
  }, 300_000)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  async function signIn(page: Page) {
    await page.goto('/')
    await page.waitForURL(/\/login$/)
    await page.getByTestId('login-username').fill(USERNAME)
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('sidebar').getByTestId('nav-customer').waitFor()
  }

  // Tests after the first may run alone (`-t`): sign the shared context in through the API.
  async function signInByApi() {
    const res = await context.request.post('/api/auth/login', {
      data: { username: USERNAME, password: PASSWORD },
    })
    expect(res.status()).toBe(200)
  }

  it('creates a customer, detects a concurrent edit and shows the history', async () => {
    const first = await context.newPage()
    await signIn(first)

    await first.getByTestId('nav-customer').click()
    await first.waitForURL(/\/e\/customer$/)
    await first.getByTestId('list').locator('tbody tr').first().waitFor()
    await first.getByTestId('new').click()
    await first.waitForURL(/\/e\/customer\/new$/)

    // Saving without the required name shows the error beside the name field.
    await first.getByTestId('save').click()
    await expect.poll(() => first.getByTestId('error-name').isVisible()).toBe(true)
    expect(first.url()).toMatch(/\/new$/)

    const name = `Browser Test Co ${Date.now()}`
    await first.getByTestId('field-name').fill(name)
    await first.getByTestId('field-phone').fill('010-0000')
    await first.getByTestId('field-level').selectOption('B')
    await first.getByTestId('save').click()
    await first.waitForURL(RECORD_URL)
    await expect.poll(() => first.getByTestId('title').textContent()).toBe(name)
    const recordPath = new URL(first.url()).pathname

    // A second tab edits the same record first.
    const second = await context.newPage()
    await second.goto(recordPath)
    await expect.poll(() => second.getByTestId('field-name').inputValue()).toBe(name)
    await second.getByTestId('field-phone').fill('010-2222')
    await second.getByTestId('save').click()
    await second.getByTestId('saved-banner').waitFor()

    // The first tab still holds the old version: its save is refused as a conflict.
    await first.getByTestId('field-phone').fill('010-1111')
    await first.getByTestId('save').click()
    const banner = first.getByTestId('conflict-banner')
    await banner.waitFor()
    expect(await banner.textContent()).toContain('changed by someone else')
    expect(await banner.textContent()).toMatch(/version \d+/)

    // Reloading shows the other tab's value and both changes in the history.
    await banner.getByTestId('reload').click()
    await expect.poll(() => first.getByTestId('field-phone').inputValue()).toBe('010-2222')
    const history = first.getByTestId('history')
    await expect.poll(() => history.getByTestId('history-entry').count()).toBeGreaterThanOrEqual(2)
    const phoneChange = history.getByTestId('history-change-phone').first()
    await expect.poll(() => phoneChange.textContent()).toContain('010-2222')
    expect(await phoneChange.textContent()).toContain('010-0000')

    // After the reload the first tab saves cleanly.
    await first.getByTestId('field-phone').fill('010-3333')
    await first.getByTestId('save').click()
    await first.getByTestId('saved-banner').waitFor()
    expect(await first.getByTestId('conflict-banner').count()).toBe(0)

    expect(pageErrors).toEqual([])
  })

  it('points at the existing record when a new one duplicates it', async () => {
    await signInByApi()
    const name = `Duplicate Test ${Date.now()}`
    const created = await context.request.post('/api/data/customer', { data: { name } })
    expect(created.status()).toBe(201)
    const existing = (await created.json()) as { id: string }

    const page = await context.newPage()
    // Going from the name straight to Save asks no hint: a hint appearing then would push Save
    // down between the press and the release and lose the click.
    const hintAsks: string[] = []
    page.on('request', (r) => r.url().endsWith('/duplicates') && hintAsks.push(r.url()))
    await page.goto('/e/customer/new')
    await page.getByTestId('field-name').fill(name.toUpperCase())
    await page.getByTestId('save').click()
    await page.getByTestId('duplicate-banner').waitFor()
    expect(hintAsks).toEqual([])
    expect(await page.getByTestId('error-name').isVisible()).toBe(true)
    await page.getByTestId('duplicate-link').click()
    await page.waitForURL(`**/e/customer/${existing.id}`)
    await expect.poll(() => page.getByTestId('title').textContent()).toBe(name)
  })

  it('finds a customer from the search box and opens it', async () => {
    await signInByApi()
    const name = `搜索测试 Search Co ${Date.now()}`
    const created = await context.request.post('/api/data/customer', { data: { name } })
    expect(created.status()).toBe(201)
    const { id } = (await created.json()) as { id: string }

    const page = await context.newPage()
    await page.goto('/')
    await page.getByTestId('search-input').fill(name.slice(0, 12).toLowerCase())
    const hit = page.getByTestId('search-group-customer').getByTestId(`search-hit-${id}`)
    await hit.waitFor()
    expect(await hit.textContent()).toContain(name)
    // A slow press (held 400 ms) still follows the hit: the list stays open under it.
    const box = (await hit.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.waitForTimeout(400)
    await page.mouse.up()
    await page.waitForURL(`**/e/customer/${id}`)
    await expect.poll(() => page.getByTestId('title').textContent()).toBe(name)
    expect(await page.getByTestId('search-input').inputValue()).toBe('')
  })

  it('switches the interface language and keeps the choice', async () => {
    await signInByApi()
    const page = await context.newPage()
    await page.goto('/e/customer')
    await page.getByTestId('new').waitFor()
    await page.getByTestId('locale').selectOption('zh-CN')
    await expect.poll(() => page.getByTestId('new').textContent()).toContain('新建')
    await expect.poll(() => page.getByTestId('nav-customer').textContent()).toContain('客户')
    // Saved on the server too: notifications and mail are sent in the user's language.
    const saved = async () =>
      ((await (await context.request.get('/api/auth/me')).json()) as { user: { locale: string } })
        .user.locale
    await expect.poll(saved).toBe('zh-CN')
    await page.reload()
    await expect.poll(() => page.getByTestId('logout').textContent()).toContain('退出')
    await page.getByTestId('locale').selectOption('en')
    await expect.poll(saved).toBe('en')
  })
})
