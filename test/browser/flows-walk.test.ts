import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor, getJson, useLocale } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

// What a walk through the shipped flows found on the demo: the leave request's department, the
// quote line's unit price, a typed price kept, the ticket's assignment rule and empty sections,
// the dispatch list's numbers.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

interface Row {
  id: string
  [key: string]: unknown
}

describe.skipIf(!chromiumAvailable())('flows and approvals as their users walk them', () => {
  let server: TrellisServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    server = await startTrellis(240_000)
    browser = await launchChromium()
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  async function open(username: string, locale = 'en'): Promise<BrowserContext> {
    const context = await contextFor(browser, server.url, username, 'demo', {
      viewport: { width: 1400, height: 900 },
    })
    await useLocale(context, locale)
    context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
    contexts.push(context)
    return context
  }

  async function post(context: BrowserContext, entity: string, data: unknown): Promise<Row> {
    const res = await context.request.post(`/api/data/${entity}`, { data })
    expect(res.status(), await res.text()).toBe(201)
    return (await res.json()) as Row
  }

  /** The applicant's department id, from their personnel file. */
  async function departmentOf(context: BrowserContext, userId: string): Promise<string> {
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'account' }, userId] }))
    const { data } = await getJson<{ data: Row[] }>(context, `/api/data/employee?filter=${filter}`)
    expect(data).toHaveLength(1)
    return data[0].department as string
  }

  it('shows a new leave request under the applicant’s department before and after saving', async () => {
    for (const [username, locale, no] of [
      ['rep_east2', 'en', 'No'],
      ['agent1', 'ko', '아니요'],
    ] as const) {
      const context = await open(username, locale)
      const me = await getJson<{ user: { id: string } }>(context, '/api/auth/me')
      const department = await departmentOf(context, me.user.id)
      const page = await context.newPage()
      await page.goto('/e/leaveRequest/new')
      const field = page.getByTestId('field-department')
      // '…' while the directory's departments load, then their path (Company / Sales / East).
      await expect.poll(() => field.inputValue()).toMatch(/^[^…]+ \/ [^…]+$/)
      const shown = await field.inputValue()
      expect(shown).not.toMatch(UUID)
      expect(await field.isDisabled()).toBe(true)
      await page.getByTestId('field-leaveType').selectOption('annual')
      await page.getByTestId('field-startDate').fill('2027-03-01')
      await page.getByTestId('field-endDate').fill('2027-03-02')
      await page.getByTestId('save').click()
      await page.waitForURL(/\/e\/leaveRequest\/[0-9a-f-]{36}$/)
      const id = page.url().split('/').pop()!
      const saved = await getJson<Row>(context, `/api/data/leaveRequest/${id}`)
      expect(saved.department).toBe(department)
      await expect.poll(() => page.getByTestId('field-department').inputValue()).toBe(shown)
      // Its history says the half day was left unticked, in words.
      await expect.poll(() => page.getByTestId('history-change-halfDay').innerText()).toContain(no)
      await page.close()
    }
  })

  it('shows a quote line’s whole unit price, and keeps a price typed while the product loads', async () => {
    const rep = await open('rep_east1')
    const director = await open('director')
    const customer = await post(rep, 'customer', { name: 'Walkway Storage' })
    const product = await post(director, 'product', {
      code: 'WK-1',
      name: 'Walk-in freezer',
      price: { amount: 4550, currency: 'CNY' },
    })
    const quote = await post(rep, 'quote', {
      title: 'Freezer room',
      customer: customer.id,
      discount: 10,
      lines: [{ product: product.id, quantity: 1, unitPrice: { amount: 1234567.89 } }],
    })
    const page = await rep.newPage()
    await page.goto(`/e/quote/${quote.id}`)
    // The Lines section names its grid once: the grid's own label is there for screen readers only.
    await page.getByTestId('grid-lines').waitFor()
    expect((await page.getByTestId('label-lines').boundingBox())!.width).toBeLessThanOrEqual(1)
    expect((await page.getByTestId('label-customer').boundingBox())!.width).toBeGreaterThan(1)
    const price = page.getByTestId('field-lines-0-unitPrice')
    await expect.poll(() => price.inputValue()).toBe('1234567.89')
    // The text fits its box: measured in the input's own font, against the room inside it.
    const fit = await price.evaluate((el) => {
      const input = el as unknown as {
        value: string
        clientWidth: number
        ownerDocument: { createElement(tag: string): { getContext(k: string): unknown } }
      }
      const style = (
        globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
      ).getComputedStyle(el)
      const canvas = input.ownerDocument.createElement('canvas').getContext('2d') as {
        font: string
        measureText(t: string): { width: number }
      }
      canvas.font = style.font
      const room =
        input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      return { text: canvas.measureText(input.value).width, room }
    })
    // Room for the number input's spin buttons too.
    expect(fit.text + 16).toBeLessThanOrEqual(fit.room)

    // The product's record answers slowly: the price typed meanwhile stays.
    await page.goto('/e/quote/new')
    await page.route('**/api/data/product/*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.continue()
    })
    await page.getByTestId('grid-lines-add').click()
    const pick = page.getByTestId('field-lines-0-product')
    await pick.click()
    await pick.fill('Walk-in')
    await page.getByTestId(`option-${product.id}`).click()
    const typed = page.getByTestId('field-lines-0-unitPrice')
    await typed.fill('3999.5')
    await page.waitForTimeout(2500)
    expect(await typed.inputValue()).toBe('3999.5')
    // Picked again with nothing typed, the line takes the product's price.
    await page.getByTestId('grid-lines-add').click()
    const second = page.getByTestId('field-lines-1-product')
    await second.click()
    await second.fill('Walk-in')
    await page.getByTestId(`option-${product.id}`).click()
    await expect
      .poll(() => page.getByTestId('field-lines-1-unitPrice').inputValue(), { timeout: 10_000 })
      .toBe('4550')
    await page.close()
  })

  it('names a ticket’s assignment rule, hides its empty sections and numbers the dispatches', async () => {
    for (const [locale, rule, ruleName, number] of [
      ['en', 'Assignment rule', 'Tickets by region', 'Dispatch no.'],
      ['zh-CN', '分派规则', '工单按区域分派', '派工单号'],
    ] as const) {
      const agent = await open('agent1', locale)
      const { data: customers } = await getJson<{ data: Row[] }>(
        agent,
        '/api/data/customer?limit=1',
      )
      const ticket = await post(agent, 'ticket', {
        subject: `Printer jams (${locale})`,
        customer: customers[0].id,
        priority: 'normal',
        reportedAt: new Date().toISOString(),
      })
      // The assignment rule gives it an owner after the create, in the background.
      const history = `/api/data/ticket/${ticket.id}/history`
      const actions = async () =>
        (await getJson<{ data: { action: string }[] }>(agent, history)).data.map((e) => e.action)
      await expect.poll(actions, { timeout: 60_000 }).toContain('assign')
      const page = await agent.newPage()
      await page.goto(`/e/ticket/${ticket.id}`)
      // Named once the published assignment rules are read.
      const change = page.getByTestId('history-change-rule').first()
      await expect.poll(() => change.innerText()).toContain(ruleName)
      const text = await change.innerText()
      expect(text).toContain(rule)
      expect(text).not.toMatch(/ticket-by-region|:fallback|leastLoad|roundRobin/)
      // Nothing resolved yet: no empty resolution box.
      await page.getByTestId('section-basic').waitFor()
      expect(await page.getByTestId('section-resolution').count()).toBe(0)

      await page.goto('/e/dispatch')
      const list = page.getByTestId('list')
      await list.locator('tbody tr').first().waitFor()
      const heads = await list.locator('thead th').allInnerTexts()
      expect(heads.map((h) => h.replace(/[▲▼]/g, '').trim())).toContain(number)
      const numbers = await list.locator('tbody tr td:nth-child(2)').allInnerTexts()
      expect(numbers.length).toBeGreaterThan(0)
      for (const n of numbers) expect(n.trim()).toMatch(/^DP-\d{4}-\d{5}$/)
      await page.close()
    }
    expect(pageErrors).toEqual([])
  })
})
