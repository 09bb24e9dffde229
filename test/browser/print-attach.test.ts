import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { createMemoryFileStore } from '../../runtime/files'
import { createChromiumPrinter, type PdfPrinter } from '../../runtime/templates'
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { openDemoDb, serveInProcess } from './support/in-process-app'
import { contextFor, getJson, useLocale } from './support/sign-in'

const SHOTS = '/tmp/export-shots'
type Json = Record<string, any>

/*
 * "Print and attach" on a record page: the admin keeps the dispatch sheet of a dispatch as a PDF
 * in its signature field from the Print menu; the page reloads and says where the PDF went.
 */
describe.skipIf(!chromiumAvailable())('print and attach in Chromium', () => {
  let db: Db
  let printer: PdfPrinter
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let admin: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openDemoDb(0.1)
    printer = createChromiumPrinter({ executablePath: CHROMIUM_PATH })
    server = await serveInProcess(db, { files: createMemoryFileStore(), printer })
    browser = await launchChromium()
    admin = await contextFor(browser, server.url, 'admin', 'admin', {
      viewport: { width: 1400, height: 900 },
    })
    admin.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
  }, 300_000)

  afterAll(async () => {
    await admin?.close()
    await browser?.close()
    await printer?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  it('keeps the printed dispatch sheet on the dispatch and shows it there', async () => {
    const list = await getJson<{ data: Json[] }>(admin, '/api/data/dispatch?limit=50')
    const dispatch = list.data.find((d) => !d.signature)!
    expect(dispatch).toBeDefined()
    const page = await admin.newPage()
    await page.goto(`/e/dispatch/${dispatch.id}`)
    await page.getByTestId('print-menu').click()
    await page.getByTestId('print-attach-dispatch-sheet-en').click()
    const banner = page.getByTestId('saved-banner')
    await banner.waitFor()
    expect(await banner.innerText()).toMatch(/\.pdf” was added to Customer signature/)
    await page.screenshot({ path: `${SHOTS}/print-attach-en.png`, fullPage: true })
    const record = await getJson<Json>(admin, `/api/data/dispatch/${dispatch.id}`)
    expect(record.version).toBe(dispatch.version + 1)
    expect(record.signature).toMatchObject({ type: 'application/pdf' })
    const file = await admin.request.get(`/api/files/${record.signature.id}`)
    expect(file.status()).toBe(200)
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-')
    expect(pageErrors).toEqual([])
    await page.close()
  }, 120_000)

  it('keeps the quote a rep sent in its Documents, printed in Chinese, and shows it there', async () => {
    const rep = await contextFor(browser, server.url, 'rep_east1', 'demo', {
      viewport: { width: 1400, height: 1000 },
    })
    await useLocale(rep, 'zh-CN')
    rep.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
    const list = await getJson<{ data: Json[] }>(rep, '/api/data/quote?limit=200')
    // A sent quote: its flow locks the other fields, Documents stays open for the printout.
    const quote = list.data.find((q) => ['sent', 'accepted', 'approved'].includes(q.status))!
    expect(quote).toBeDefined()
    const page = await rep.newPage()
    await page.goto(`/e/quote/${quote.id}`)
    await page.getByTestId('print-menu').click()
    await page.getByTestId('print-attach-quote-print-zh-CN').click()
    const banner = page.getByTestId('saved-banner')
    await banner.waitFor()
    expect(await banner.innerText()).toContain(`报价单 ${quote.number}.pdf`)
    expect(await banner.innerText()).toContain('报价文件')
    const record = await getJson<Json>(rep, `/api/data/quote/${quote.id}`)
    expect(record.attachments).toHaveLength(1)
    expect(record.attachments[0]).toMatchObject({ type: 'application/pdf' })
    const file = await rep.request.get(`/api/files/${record.attachments[0].id}`)
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-')
    await page.reload()
    await page.getByText(`报价单 ${quote.number}.pdf`).first().waitFor()
    const text = await page.locator('main').innerText()
    expect(text).toContain(`报价单 ${quote.number}.pdf`)
    expect(text).not.toMatch(/\battachments\b|[0-9a-f]{8}-[0-9a-f]{4}-/)
    await page.screenshot({ path: `${SHOTS}/print-attach-quote-zh-CN.png`, fullPage: true })
    expect(pageErrors).toEqual([])
    await rep.close()
  }, 120_000)
})
