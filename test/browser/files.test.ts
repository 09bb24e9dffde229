import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

const DEMO = 'demo'
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Title (报价单) >> endobj\n%%EOF\n')
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

type Row = Record<string, unknown> & { id: string }

/*
 * Documents per customer: a rep uploads a contract and a photo on their customer's form, saves,
 * sees the photo's thumbnail and downloads the contract under its Chinese name; a rep of
 * another region gets 404 for the same file.
 */
describe.skipIf(!chromiumAvailable())("a customer's documents", () => {
  let server: TrellisServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  let customer: Row

  async function open(username: string) {
    const context = await contextFor(browser, server.url, username, DEMO)
    contexts.push(context)
    return context
  }

  beforeAll(async () => {
    ensureDesignerBuild()
    server = await startTrellis(240_000)
    browser = await launchChromium()
    const rep = await open('rep_east1')
    const res = await rep.request.post('/api/data/customer', {
      data: { name: `文件测试客户 ${Date.now().toString(36)}` },
    })
    expect(res.status(), await res.text()).toBe(201)
    customer = (await res.json()) as Row
  }, 300_000)

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  it('uploads on the form, keeps them on save and downloads the same bytes', async () => {
    const page = await (await open('rep_east1')).newPage()
    await page.goto(`/e/customer/${customer.id}`)
    await page.getByTestId('tab-more').click()
    await page.getByTestId('field-documents-input').setInputFiles([
      { name: '报价单.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'shop.png', mimeType: 'image/png', buffer: PNG },
    ])
    await expect
      .poll(() => page.getByTestId('field-documents-1-link').textContent(), { timeout: 15_000 })
      .toBe('shop.png')
    await page.getByTestId('save').click()
    await expect
      .poll(() => page.getByTestId('version').textContent(), { timeout: 15_000 })
      .toContain('2')
    await page.reload()
    await page.getByTestId('tab-more').click()
    const link = page.getByTestId('field-documents-0-link')
    expect(await link.textContent()).toBe('报价单.pdf')
    // The photo shows as a thumbnail served inline; the PDF as an icon.
    const thumb = page.getByTestId('field-documents-1').locator('img')
    await expect
      .poll(() =>
        thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1)
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toBe('报价单.pdf')
    const path = await download.path()
    const { readFile } = await import('node:fs/promises')
    expect((await readFile(path)).equals(PDF)).toBe(true)
    await page.screenshot({ path: '/tmp/customer-documents.png', fullPage: true })
  })

  it("answers 404 to a rep of another region for the customer's file", async () => {
    const rep = await open('rep_east1')
    const record = (await (await rep.request.get(`/api/data/customer/${customer.id}`)).json()) as {
      documents: { id: string }[]
    }
    const id = record.documents[0].id
    expect((await rep.request.get(`/api/files/${id}`)).status()).toBe(200)
    const other = await open('rep_west1')
    expect((await other.request.get(`/api/files/${id}`)).status()).toBe(404)
    expect((await other.request.get(`/api/files/${id}/preview`)).status()).toBe(404)
  })
})
