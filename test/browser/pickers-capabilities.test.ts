import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor, getJson } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

// Every demo password is `demo`, admin's is `admin`.
const DEMO = 'demo'
const SHOTS = '/tmp'

interface Row {
  id: string
  [key: string]: unknown
}

describe.skipIf(!chromiumAvailable())('reference pickers and what the UI offers', () => {
  let server: TrellisServer
  let browser: Browser
  let admin: BrowserContext
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []
  let twin: Row

  beforeAll(async () => {
    ensureDesignerBuild()
    // First start installs four modules, the demo organisation and demo data: allow time.
    server = await startTrellis(240_000)
    browser = await launchChromium()
    admin = await open('admin', 'admin')
    // A second 工业控制器: same name as the demo's P10001, another code and spec.
    const res = await admin.request.post('/api/data/product', {
      data: {
        code: 'P90001',
        name: '工业控制器',
        spec: 'TR-999 IP65',
        price: { amount: 5100, currency: 'CNY' },
      },
    })
    expect(res.status()).toBe(201)
    twin = (await res.json()) as Row
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  async function open(username: string, password = DEMO): Promise<BrowserContext> {
    const context = await contextFor(browser, server.url, username, password)
    context.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
    contexts.push(context)
    return context
  }

  async function productByCode(code: string): Promise<Row> {
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'code' }, code] }))
    const { data } = await getJson<{ data: Row[] }>(admin, `/api/data/product?filter=${filter}`)
    expect(data, code).toHaveLength(1)
    return data[0]
  }

  /** Whether the element at the centre of `testid`'s box is that element (or inside it). */
  async function isOnTop(page: Page, testid: string): Promise<boolean> {
    return page.getByTestId(testid).evaluate((el) => {
      const r = el.getBoundingClientRect()
      const hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      return !!hit && (hit === el || el.contains(hit))
    })
  }

  it('picks a product in a quote line by code with the keyboard, and by click among equal names', async () => {
    const p10001 = await productByCode('P10001')
    const page = await (await open('rep_east1')).newPage()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto('/e/quote/new')
    await page.getByTestId('grid-lines-add').click()
    const cell = page.getByTestId('field-lines-0-product')
    await cell.click()
    await cell.fill('P10001')
    const option = page.getByTestId(`option-${p10001.id}`)
    await option.waitFor()
    // The second line names the code and the spec.
    expect(await option.getByTestId('option-detail').textContent()).toContain('P10001')
    expect(await option.getByTestId('option-detail').textContent()).toContain(String(p10001.spec))
    // Not clipped by the grid: the option itself is what sits at its centre.
    expect(await isOnTop(page, `option-${p10001.id}`)).toBe(true)
    await page.screenshot({ path: `${SHOTS}/h5-picker-code.png` })
    await cell.press('ArrowDown')
    await expect.poll(() => option.getAttribute('aria-selected')).toBe('true')
    await cell.press('Enter')
    await expect.poll(() => cell.getAttribute('data-value')).toBe(p10001.id)
    await expect.poll(() => cell.inputValue()).toBe('工业控制器')

    // Two products named 工业控制器 are told apart by their second line; a click picks one.
    await page.getByTestId('grid-lines-add').click()
    const second = page.getByTestId('field-lines-1-product')
    await second.click()
    await second.fill('工业控制器')
    const twinOption = page.getByTestId(`option-${twin.id}`)
    await twinOption.waitFor()
    await page.getByTestId(`option-${p10001.id}`).waitFor()
    const details = await page
      .getByTestId('field-lines-1-product-options')
      .getByTestId('option-detail')
      .allTextContents()
    expect(new Set(details).size).toBe(details.length)
    expect(await twinOption.getByTestId('option-detail').textContent()).toContain('TR-999 IP65')
    expect(await isOnTop(page, `option-${twin.id}`)).toBe(true)
    await page.screenshot({ path: `${SHOTS}/h5-picker-twins.png` })
    await twinOption.click()
    await expect.poll(() => second.getAttribute('data-value')).toBe(twin.id)
    expect(await page.getByTestId('field-lines-1-product-options').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })

  it('finds a customer by its number in the quote header picker', async () => {
    const { data } = await getJson<{ data: Row[] }>(admin, '/api/data/customer?limit=1')
    const page = await (await open('admin', 'admin')).newPage()
    await page.goto('/e/quote/new')
    const picker = page.getByTestId('field-customer')
    await picker.click()
    await picker.fill(String(data[0].code))
    await page.getByTestId(`option-${data[0].id}`).click()
    await expect.poll(() => picker.getAttribute('data-value')).toBe(data[0].id)
  })

  it('shows agent1 no leads and no New where they may not create', async () => {
    const page = await (await open('agent1')).newPage()
    await page.goto('/')
    await page.getByTestId('nav-ticket').waitFor()
    expect(await page.getByTestId('nav-lead').count()).toBe(0)
    await page.goto('/e/lead')
    await page.getByTestId('list-error').waitFor()
    expect(await page.getByTestId('new').count()).toBe(0)
    await page.goto('/e/ticket')
    await page.getByTestId('new').waitFor()
    // On a customer's page: a new ticket yes, a new contact (read only for agents) no.
    const { data } = await getJson<{ data: Row[] }>(admin, '/api/data/customer?limit=1')
    await page.goto(`/e/customer/${data[0].id}`)
    await page.getByTestId('related-tickets-new').waitFor()
    expect(await page.getByTestId('related-contacts').count()).toBe(1)
    expect(await page.getByTestId('related-contacts-new').count()).toBe(0)
    expect(await page.getByTestId('save').count()).toBe(0)
  })

  it('gives a rep a read-only campaign and a read-only manager comment', async () => {
    const context = await open('rep_east1')
    const { data: campaigns } = await getJson<{ data: Row[] }>(
      context,
      '/api/data/campaign?limit=1',
    )
    const page = await context.newPage()
    await page.goto(`/e/campaign/${campaigns[0].id}`)
    await page.getByTestId('view-only').waitFor()
    expect(await page.getByTestId('save').count()).toBe(0)
    expect(await page.getByTestId('delete').count()).toBe(0)
    expect(await page.getByTestId('field-name').isEditable()).toBe(false)
    await page.screenshot({ path: `${SHOTS}/h5-campaign-rep.png` })
    await page.goto('/e/campaign')
    await page.getByTestId('list').waitFor()
    expect(await page.getByTestId('new').count()).toBe(0)

    const { data: followUps } = await getJson<{ data: Row[] }>(
      context,
      '/api/data/followUp?limit=1',
    )
    await page.goto(`/e/followUp/${followUps[0].id}`)
    await page.getByTestId('save').waitFor()
    expect(await page.getByTestId('field-subject').isEditable()).toBe(true)
    expect(await page.getByTestId('field-managerComment').isEditable()).toBe(false)
    expect(await page.getByTestId('delete').count()).toBe(1)
    expect(await page.getByTestId('view-only').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/h5-followup-rep.png`, fullPage: true })

    // The manager may write the comment on the same record.
    const boss = await (await open('mgr_east')).newPage()
    await boss.goto(`/e/followUp/${followUps[0].id}`)
    await boss.getByTestId('save').waitFor()
    expect(await boss.getByTestId('field-managerComment').isEditable()).toBe(true)
    expect(pageErrors).toEqual([])
  })
})
