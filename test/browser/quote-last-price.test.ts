import { execFileSync } from 'node:child_process'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor, getJson } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

// Every demo password is `demo`, admin's is `admin`.
const DEMO = 'demo'
const WAIT = { timeout: 15_000 }
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

type Row = Record<string, unknown> & { id: string }

/*
 * A rep's quote line shows the last price the customer paid (latestFrom) as money, in each
 * language, with the order it came from by its number: no raw ids in the row.
 */
describe.skipIf(!chromiumAvailable())('the last price paid on a quote line', () => {
  let server: TrellisServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  let quote: Row
  let order: Row
  let product: Row

  async function open(username: string, password = DEMO, locale = 'en') {
    const context = await contextFor(browser, server.url, username, password)
    await context.addInitScript(`localStorage.setItem('trellis.locale', ${JSON.stringify(locale)})`)
    contexts.push(context)
    return context
  }
  async function post(context: BrowserContext, path: string, data: unknown): Promise<Row> {
    const res = await context.request.post(path, { data })
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300)
    return (await res.json()) as Row
  }

  beforeAll(async () => {
    ensureDesignerBuild()
    server = await startTrellis(240_000)
    browser = await launchChromium()
    const admin = await open('admin', 'admin')
    const rep = await open('rep_east1')
    const { data: customers } = await getJson<{ data: Row[] }>(rep, '/api/data/customer?limit=1')
    const customer = customers[0].id
    product = await post(admin, '/api/data/product', {
      code: 'LP-1',
      name: 'Last price probe',
      price: { amount: 5000, currency: 'CNY' },
    })
    order = await post(admin, '/api/data/salesOrder', {
      customer,
      orderDate: '2026-06-01',
      status: 'confirmed',
      lines: [{ product: product.id, quantity: 2, unitPrice: { amount: 4321.5, currency: 'CNY' } }],
    })
    quote = await post(rep, '/api/data/quote', {
      title: 'Last price quote',
      customer,
      quoteDate: '2026-07-01',
      lines: [{ product: product.id, quantity: 1, unitPrice: { amount: 4400, currency: 'CNY' } }],
    })
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  it('shows it as soon as the rep picks the product on a new line, before saving', async () => {
    const page = await (await open('rep_east1')).newPage()
    await page.goto(`/e/quote/${quote.id}`)
    await page.getByTestId('grid-lines-add').click()
    const cell = page.getByTestId('field-lines-1-product')
    await cell.click()
    await cell.fill('LP-1')
    await page.getByTestId(`option-${product.id}`).click()
    const price = page.getByTestId('field-lines-1-lastPaidPrice')
    await expect.poll(() => price.innerText(), WAIT).toMatch(/4,321\.50/)
    const number = order.number as string
    await expect
      .poll(() => page.getByTestId('field-lines-1-lastPaidOrder').inputValue(), WAIT)
      .toBe(number)
    await page.screenshot({ path: '/tmp/quote-last-price-picked.png', fullPage: true })
  })

  it.each([
    ['en', 'Last price paid'],
    ['zh-CN', '上次成交价'],
    ['ko', '최근 구매 단가'],
  ])('shows it as money with the order number in %s', async (locale, heading) => {
    const page = await (await open('rep_east1', DEMO, locale)).newPage()
    await page.goto(`/e/quote/${quote.id}`)
    await page.screenshot({ path: `/tmp/quote-last-price-${locale}-open.png`, fullPage: true })
    const grid = page.getByTestId('grid-lines')
    await expect.poll(() => grid.locator('th').allInnerTexts(), WAIT).toContain(heading)
    const price = page.getByTestId('field-lines-0-lastPaidPrice')
    await expect.poll(() => price.innerText(), WAIT).toMatch(/4,321\.50/)
    const number = order.number as string
    await expect
      .poll(() => page.getByTestId('field-lines-0-lastPaidOrder').inputValue(), WAIT)
      .toBe(number)
    expect(await page.getByTestId('grid-lines-row-0').innerText()).not.toMatch(UUID)
    await page.screenshot({ path: `/tmp/quote-last-price-${locale}.png`, fullPage: true })
  })

  it(
    'prints a quote from its page to a PDF holding its number and the Chinese customer',
    { timeout: 120_000 },
    async () => {
      const rep = await open('rep_east1', DEMO, 'zh-CN')
      const customer = await post(rep, '/api/data/customer', { name: '杭州青禾贸易有限公司' })
      const printed = await post(rep, '/api/data/quote', {
        title: 'Print probe',
        customer: customer.id,
        quoteDate: '2026-07-01',
        lines: [{ product: product.id, quantity: 2, unitPrice: { amount: 4400, currency: 'CNY' } }],
      })
      const page = await rep.newPage()
      await page.goto(`/e/quote/${printed.id}`)
      await page.getByTestId('print-menu').click()
      const link = page.getByTestId('print-quote-print-zh-CN')
      await expect.poll(() => link.innerText(), WAIT).toBe('中文')
      await page.screenshot({ path: '/tmp/quote-print-menu.png', fullPage: true })
      // The server's first print launches its Chromium: give it longer than a page load.
      const res = await rep.request.get((await link.getAttribute('href')) ?? '', {
        timeout: 90_000,
      })
      expect(res.status()).toBe(200)
      expect(res.headers()['content-type']).toBe('application/pdf')
      // poppler's pdftotext (CI installs poppler-utils) reads the PDF from stdin.
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], {
        input: await res.body(),
        encoding: 'utf8',
      })
      expect(text).toContain(printed.number as string)
      expect(text).toContain('杭州青禾贸易有限公司')
      expect(text).toContain('¥8,800.00')
    },
  )
})
