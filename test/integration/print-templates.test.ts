import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../runtime/clock'
import { createMetadataCache } from '../../runtime/registry'
import { createChromiumPrinter, type PdfPrinter } from '../../runtime/templates'
import { loadSeedBundle } from '../../seeds'
import { buildApp } from '../../server/app'
import { chromiumAvailable, CHROMIUM_PATH } from '../browser/support/chromium'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>

/** The text of a PDF, as poppler's pdftotext reads it (CI installs poppler-utils). */
function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-print-'))
  try {
    writeFileSync(join(dir, 'print.pdf'), pdf)
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'print.pdf'), '-'], {
      encoding: 'utf8',
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const CUSTOMER = '上海明达机械有限公司'

/*
 * Printing the shipped quote over HTTP, on one database (printing reads a record the way GET
 * does; nothing in it differs between PGlite and PostgreSQL): a PDF from Chromium whose text
 * holds the number and the Chinese customer, the HTML view in each language with exact money,
 * and the refusals (another rep's quote, an unknown template, a bad language).
 */
describe.each(testTargets().slice(0, 1))('printing a quote on $name', (target) => {
  let fx: AppFixture
  let printer: PdfPrinter
  let printApp: ReturnType<typeof buildApp>
  const tokens: Record<string, string> = {}
  const ids: Record<string, string> = {}
  let quote: Json

  const print = (path: string, token: string) =>
    printApp.request(path, { headers: { authorization: `Bearer ${token}` } })
  async function created(entity: string, body: Json, token = fx.adminToken) {
    const res = await fx.call('POST', `/api/data/${entity}`, { token, body })
    const answer = (await res.json()) as Json
    expect(res.status, JSON.stringify(answer)).toBe(201)
    return answer
  }

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    printer = createChromiumPrinter({ executablePath: CHROMIUM_PATH, concurrency: 2 })
    printApp = buildApp({
      db: fx.db,
      clock: fixedClock(new Date('2026-07-02T01:30:00Z')),
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(fx.db),
      printer,
      timeZone: 'Asia/Shanghai',
    })
    const reps = await signInSalesReps(fx, ['repA', 'repB'], '华星科技有限公司')
    Object.assign(ids, reps.ids)
    Object.assign(tokens, reps.tokens)
    const product = await created('product', {
      code: 'P-100',
      name: 'Hydraulic pump',
      price: { amount: 1234.5, currency: 'CNY' },
    })
    ids.product = product.id as string
    const customer = await created('customer', {
      name: CUSTOMER,
      address: '上海市浦东新区张江路 88 号',
      owner: ids.repA,
    })
    quote = await created(
      'quote',
      {
        title: 'Pumps for line 3',
        customer: customer.id,
        quoteDate: '2026-07-01',
        validUntil: '2026-07-31',
        discount: 10,
        terms: 'Delivery in <30> days & free shipping',
        owner: ids.repA,
        lines: [
          { product: product.id, quantity: 3, unitPrice: { amount: 1234.5, currency: 'CNY' } },
          {
            product: product.id,
            quantity: 1,
            unitPrice: { amount: 0.1, currency: 'CNY' },
            description: 'Seal kit',
          },
        ],
      },
      tokens.repA,
    )
  })
  afterAll(async () => {
    await printer?.close()
    await fx?.close()
  })

  it.skipIf(!chromiumAvailable())(
    'prints a PDF whose text holds the quote number and the Chinese customer',
    async () => {
      const res = await print(
        `/api/data/quote/${quote.id}/print/quote-print?lang=zh-CN`,
        tokens.repA,
      )
      expect(res.status, await res.clone().text()).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/pdf')
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="quote-print-${quote.number}.pdf"`,
      )
      const pdf = new Uint8Array(await res.arrayBuffer())
      expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-')
      const text = pdfText(pdf)
      expect(text).toContain(String(quote.number))
      expect(text).toContain(CUSTOMER)
      expect(text).toContain('报价单')
      expect(text).toContain('华星科技有限公司')
    },
  )

  it('shows the HTML print view in each language with exact money, labels and escaped values', async () => {
    const html = async (lang: string) => {
      const path = `/api/data/quote/${quote.id}/print/quote-print?lang=${lang}&format=html`
      const res = await print(path, tokens.repA)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
      return res.text()
    }
    const zh = await html('zh-CN')
    expect(zh).toContain('<html lang="zh-CN">')
    // 3 × 1,234.50 + 0.10 = 3,703.60 (no float artefact), with the currency of the lines.
    expect(zh).toContain('¥3,703.60')
    expect(zh).toContain('不含税金额')
    expect(zh).toContain(CUSTOMER)
    expect(zh).toContain('上海市浦东新区张江路 88 号')
    expect(zh).toContain('<dd>repA</dd>')
    expect(zh).toContain('2026年7月1日')
    expect(zh).toContain('Delivery in &lt;30&gt; days &amp; free shipping')
    const en = await html('en')
    expect(en).toContain('QUOTATION')
    expect(en).toContain('CN¥3,703.60')
    expect(en).toContain('Jul 1, 2026')
    expect(en).toContain('Hydraulic pump')
    const ko = await html('ko')
    expect(ko).toContain('견적서')
    expect(ko).toContain('2026. 7. 1.')
  })

  it('renders the contract, the invoice and the dispatch sheet in the three languages', async () => {
    const customer = quote.customer as string
    const order = await created('salesOrder', {
      customer,
      orderDate: '2026-07-03',
      deliveryDate: '2026-08-01',
      paymentTerms: 'net30',
      shippingAddress: '上海市浦东新区张江路 88 号',
      lines: [
        {
          product: ids.product,
          quantity: 2,
          unitPrice: { amount: 999.99, currency: 'CNY' },
          taxRate: 13,
        },
      ],
    })
    const ticket = await created('ticket', {
      subject: 'Pump leaks',
      customer,
      priority: 'high',
      status: 'new',
      reportedAt: '2026-07-02T02:00:00Z',
    })
    const dispatch = await created('dispatch', {
      ticket: ticket.id,
      customer,
      status: 'dispatched',
      engineer: ids.repA,
      scheduledAt: '2026-07-03T01:00:00Z',
      address: '张江路 88 号 3 号车间',
    })
    const expected: Record<string, [string, string, string]> = {
      'sales-contract': ['SALES CONTRACT', '销售合同', '판매 계약서'],
      'sales-invoice': ['INVOICE', '销售发票', '청구서'],
      'dispatch-sheet': ['SERVICE DISPATCH SHEET', '服务派工单', '서비스 출동 지시서'],
    }
    for (const [template, titles] of Object.entries(expected)) {
      const [entity, record] =
        template === 'dispatch-sheet' ? ['dispatch', dispatch] : ['salesOrder', order]
      for (const [i, lang] of ['en', 'zh-CN', 'ko'].entries()) {
        const path = `/api/data/${entity}/${record.id}/print/${template}?lang=${lang}&format=html`
        const res = await print(path, fx.adminToken)
        const html = await res.text()
        expect(res.status, html).toBe(200)
        expect(html, `${template} ${lang}`).toContain(titles[i])
        expect(html).toContain(CUSTOMER)
        expect(html).toContain(template === 'dispatch-sheet' ? 'Pump leaks' : String(order.number))
      }
    }
    // 2 × 999.99 × 1.13 = 2,259.98 (exact: 2259.9774 rounds up), in the invoice's amount due.
    const invoice = await print(
      `/api/data/salesOrder/${order.id}/print/sales-invoice?lang=zh-CN&format=html`,
      fx.adminToken,
    )
    expect(await invoice.text()).toContain('¥2,259.98')
  })

  it('marks a draft contract and leaves no half-said sentence where a field is empty', async () => {
    const bare = await created('salesOrder', {
      customer: quote.customer as string,
      orderDate: '2026-07-03',
      lines: [{ product: ids.product, quantity: 1, unitPrice: { amount: 10, currency: 'CNY' } }],
    })
    const expected: Record<string, [string, string[], RegExp]> = {
      en: ['DRAFT', ['delivery date is agreed separately', 'payment terms are agreed'], /to: \.|by\s+to:/],
      'zh-CN': ['草稿', ['交货日期由双方另行约定', '付款方式由双方另行约定'], /：[；。]|：\s*<\/p>/],
      ko: ['초안', ['납기일은 양 당사자가 별도로 정한다', '효력이 발생한다.'], /발생하며\.|: ,|:\s*<\/p>/],
    }
    for (const [lang, [mark, sentences, broken]] of Object.entries(expected)) {
      const res = await print(
        `/api/data/salesOrder/${bare.id}/print/sales-contract?lang=${lang}&format=html`,
        fx.adminToken,
      )
      const html = await res.text()
      expect(res.status, html).toBe(200)
      expect(html).toContain(`<div class="watermark">${mark}</div>`)
      for (const s of sentences) expect(html, lang).toContain(s)
      expect(html, lang).not.toMatch(broken)
    }
    // The quote of this suite is a draft: printed, it says it is not final.
    const draft = await print(
      `/api/data/quote/${quote.id}/print/quote-print?lang=zh-CN&format=html`,
      fx.adminToken,
    )
    expect(await draft.text()).toContain('<div class="watermark">未定稿</div>')
  })

  it('answers 404 to a rep who may not read the quote, as reading it would', async () => {
    const res = await print(`/api/data/quote/${quote.id}/print/quote-print`, tokens.repB)
    expect(res.status).toBe(404)
    const read = await fx.call('GET', `/api/data/quote/${quote.id}`, { token: tokens.repB })
    expect(read.status).toBe(404)
  })

  it('answers 404 naming a template that does not exist or prints another entity', async () => {
    for (const name of ['no-such-template', 'sales-contract']) {
      const res = await print(`/api/data/quote/${quote.id}/print/${name}`, tokens.repA)
      expect(res.status).toBe(404)
      const body = (await res.json()) as { error: { message: string; details: Json[] } }
      expect(body.error.message).toContain(name)
      expect(body.error.details).toEqual([
        { path: 'template', message: `no template '${name}' prints quote records` },
      ])
    }
  })

  it('refuses an unknown language or format with 400 naming the parameter', async () => {
    for (const [query, path] of [
      ['lang=ja', 'lang'],
      ['format=docx', 'format'],
    ]) {
      const res = await print(`/api/data/quote/${quote.id}/print/quote-print?${query}`, tokens.repA)
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { details: Json[] } }
      expect(body.error.details[0].path).toBe(path)
    }
  })

  it('copies a quote with its lines as a new draft of the copier, under a new number', async () => {
    const res = await fx.call('POST', `/api/data/quote/${quote.id}/copy`, { token: tokens.repA })
    const copy = (await res.json()) as Json
    expect(res.status, JSON.stringify(copy)).toBe(201)
    expect(copy.id).not.toBe(quote.id)
    expect(copy.number).not.toBe(quote.number)
    expect(copy).toMatchObject({ quoteDate: '2026-07-01', validUntil: '2026-07-31' })
    expect(copy).toMatchObject({
      title: 'Pumps for line 3',
      customer: quote.customer,
      status: 'draft',
      owner: ids.repA,
      discount: 10,
      total: quote.total,
    })
    const lines = (copy.lines as Json[]).map(({ product, quantity, unitPrice, description }) => ({
      product,
      quantity,
      unitPrice,
      description,
    }))
    const before = (quote.lines as Json[]).map(({ product, quantity, unitPrice, description }) => ({
      product,
      quantity,
      unitPrice,
      description,
    }))
    expect(lines).toEqual(before)
    const other = await fx.call('POST', `/api/data/quote/${quote.id}/copy`, { token: tokens.repB })
    expect(other.status).toBe(404)
  })

  it('answers the HTML print view when the server has no printer', async () => {
    const res = await fx.call('GET', `/api/data/quote/${quote.id}/print/quote-print?lang=en`, {
      token: tokens.repA,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await res.text()).toContain(String(quote.number))
  })
})

/** The clerk reads every quote and customer but prints only the quotes they created. */
const scopedBundle = {
  ...FIXTURE_BUNDLE,
  roles: [
    {
      id: 'clerk',
      label: { en: 'Clerk' },
      grants: [
        { entity: 'customer', scopes: { read: 'all' } as const },
        { entity: 'quote', scopes: { read: 'all', create: 'all', print: 'own' } as const },
      ],
    },
  ],
  templates: [
    {
      id: 'quote-slip',
      label: { en: 'Quote slip' },
      entity: 'quote',
      body: {
        en: '<h1>{{record.title}}</h1>{{#each record.lines}}<p>{{product}} × {{qty}}</p>{{/each}}',
      },
    },
  ],
}

describe.each(testTargets().slice(0, 1))('the print scope on $name', (target) => {
  let fx: AppFixture
  afterAll(async () => fx?.close())

  it('refuses with 403 a record the caller reads but may not print, and prints their own', async () => {
    fx = await openAppFixture(target, { bundle: scopedBundle })
    const create = async (token: string, title: string) => {
      const body = { title, lines: [{ product: 'Valve <DN50>', qty: 4 }] }
      const res = await fx.call('POST', '/api/data/quote', { token, body })
      expect(res.status).toBe(201)
      return ((await res.json()) as { id: string }).id
    }
    const admins = await create(fx.adminToken, 'Admin quote')
    const clerks = await create(fx.clerkToken, 'Clerk quote')
    const print = (id: string) =>
      fx.call('GET', `/api/data/quote/${id}/print/quote-slip?format=html`, { token: fx.clerkToken })
    expect(
      (await fx.call('GET', `/api/data/quote/${admins}`, { token: fx.clerkToken })).status,
    ).toBe(200)
    const refused = await print(admins)
    expect(refused.status).toBe(403)
    const body = (await refused.json()) as { error: { details: Json[] } }
    expect(body.error.details).toEqual([
      { path: 'id', message: "outside your 'print' scope on 'quote'" },
    ])
    const own = await print(clerks)
    expect(own.status).toBe(200)
    const html = await own.text()
    expect(html).toContain('<h1>Clerk quote</h1>')
    expect(html).toContain('<p>Valve &lt;DN50&gt; × 4</p>')
  })
})
