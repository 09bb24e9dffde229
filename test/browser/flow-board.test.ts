import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { loadPublishedMetadata } from '../../runtime/registry'
import { ensureDemoAdmin, installModules } from '../../server/cli/demo'
import { ensureDemoOrganisation } from '../../server/cli/demo-org'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { serveInProcess } from './support/in-process-app'
import { contextFor, getJson } from './support/sign-in'

const SHOTS = '/tmp/board-shots'

/** The four modules and the demo organisation, no demo records: the cards are the test's own. */
async function openOrgDb(): Promise<Db> {
  const db = await openDb({ dataDir: 'memory://' })
  await migratePlatform(db)
  const meta = await loadPublishedMetadata(db)
  const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta }
  const installed = await installModules(ctx)
  await ensureDemoOrganisation(installed, await ensureDemoAdmin(installed))
  return db
}

/**
 * The sales pipeline board: a rep drags opportunities between stage columns. A drop fires the
 * flow's transition leading to the column (never a PATCH of the stage), asks in the transition
 * dialog when it needs fields (lost: reason and competitor), and a column no transition reaches
 * is marked while dragging and refuses the drop with a message, the card staying where it was.
 */
describe.skipIf(!chromiumAvailable())('flow board in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let rep: BrowserContext
  const pageErrors: string[] = []
  const patches: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openOrgDb()
    server = await serveInProcess(db)
    browser = await launchChromium()
    rep = await contextFor(browser, server.url, 'rep_east1', 'demo', {
      viewport: { width: 1600, height: 900 },
    })
    rep.on('page', (p) => {
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.on('request', (r) => {
        if (r.method() === 'PATCH' && r.url().includes('/api/data/opportunity'))
          patches.push(r.url())
      })
    })
  }, 300_000)

  afterAll(async () => {
    await rep?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  async function post(entity: string, data: Record<string, unknown>): Promise<string> {
    const res = await rep.request.post(`/api/data/${entity}`, { data })
    expect(res.status(), await res.text()).toBe(201)
    return ((await res.json()) as { id: string }).id
  }

  /** Switches the language the way a user does (the header's switcher saves it), then reloads. */
  async function setLocale(page: Page, locale: 'en' | 'zh-CN' | 'ko') {
    await page.getByTestId('locale').waitFor()
    if ((await page.getByTestId('locale').inputValue()) !== locale) {
      const [saved] = await Promise.all([
        page.waitForResponse(
          (r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH',
        ),
        page.getByTestId('locale').selectOption(locale),
      ])
      expect(saved.status()).toBe(200)
    }
    await page.reload()
  }

  const stageOf = async (id: string) =>
    (await getJson<{ stage: string }>(rep, `/api/data/opportunity/${id}`)).stage

  /** Drags with the mouse, checking what the target column says while the card is over it. */
  async function drag(page: Page, card: Locator, column: Locator): Promise<string | null> {
    // By the card's edge, not a link inside it.
    await card.hover({ position: { x: 3, y: 3 } })
    await page.mouse.down()
    const box = (await column.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 5 })
    // The caller's own options arrive a moment after the drag starts.
    await page.waitForTimeout(300)
    await page.mouse.move(box.x + box.width / 2, box.y + 50, { steps: 2 })
    const droppable = await column.getAttribute('data-droppable')
    await page.mouse.up()
    return droppable
  }

  it('a rep moves an opportunity to Won by dragging; an unreachable column refuses', async () => {
    const customer = await post('customer', { name: 'Harbour Logistics' })
    const id = await post('opportunity', {
      name: 'Cold store fit-out',
      customer,
      amount: { amount: 48000, currency: 'CNY' },
    })
    const page = await rep.newPage()
    await page.goto('/e/opportunity')
    await setLocale(page, 'en')
    await page.getByTestId('open-board').click()
    await page.waitForURL(/\/e\/opportunity\/board$/)
    const card = page.getByTestId(`board-card-${id}`)
    const column = (s: string) => page.getByTestId(`board-column-${s}`)
    await expect.poll(() => card.getAttribute('data-column')).toBe('qualification')
    expect(await card.innerText()).toContain('Harbour Logistics')
    await page.screenshot({ path: `${SHOTS}/1-board-en.png`, fullPage: true })

    // Won is out of reach from qualification: marked while dragging, the drop refused.
    expect(await drag(page, card, column('won'))).toBe('false')
    await expect
      .poll(() => page.getByTestId('board-refusal').innerText())
      .toBe(
        '“Cold store fit-out” cannot go from “Qualification (10%)” to “Won (100%)”: no action leads there.',
      )
    expect(await card.getAttribute('data-column')).toBe('qualification')
    expect(await stageOf(id)).toBe('qualification')
    await page.screenshot({ path: `${SHOTS}/2-refused-en.png`, fullPage: true })

    // Step by step to proposal, then Won (its required amount is filled: no dialog).
    for (const to of ['needsAnalysis', 'proposal', 'won']) {
      expect(await drag(page, page.getByTestId(`board-card-${id}`), column(to))).toBe('true')
      await expect
        .poll(() => page.getByTestId(`board-card-${id}`).getAttribute('data-column'))
        .toBe(to)
      expect(await stageOf(id)).toBe(to)
    }
    expect(await page.getByTestId('transition-dialog').count()).toBe(0)
    expect(await page.getByTestId('board-notice').innerText()).toBe(
      '“Cold store fit-out” moved to “Won (100%)”.',
    )
    await page.screenshot({ path: `${SHOTS}/3-won-en.png`, fullPage: true })

    // The refusal in Chinese.
    const other = await post('opportunity', { name: 'Dock scanners', customer })
    await setLocale(page, 'zh-CN')
    await page.getByTestId(`board-card-${other}`).waitFor()
    await drag(page, page.getByTestId(`board-card-${other}`), column('negotiation'))
    await expect
      .poll(() => page.getByTestId('board-refusal').innerText())
      .toMatch(/^“Dock scanners”无法从“[^”]+”移到“[^”]+”：没有通向该列的操作。$/)
    await page.screenshot({ path: `${SHOTS}/4-refused-zh-CN.png`, fullPage: true })
    await setLocale(page, 'en')
    expect(patches).toEqual([])
    expect(pageErrors).toEqual([])
  }, 180_000)

  it('dragging to Lost asks for the reason and competitor first', async () => {
    const customer = await post('customer', { name: 'Northwind Cold Chain' })
    const id = await post('opportunity', { name: 'Freezer retrofit', customer })
    const page = await rep.newPage()
    await page.goto('/e/opportunity/board')
    const card = page.getByTestId(`board-card-${id}`)
    await card.waitFor()
    expect(await drag(page, card, page.getByTestId('board-column-lost'))).toBe('true')
    const dialog = page.getByTestId('transition-dialog')
    await dialog.waitFor()
    // Nothing moved yet; cancelling leaves the card where it was.
    expect(await stageOf(id)).toBe('qualification')
    await page.getByTestId('transition-confirm').click()
    await expect.poll(() => dialog.getByRole('alert').count()).toBe(2)
    await page.getByTestId('transition-field-lostReason').selectOption('price')
    await page.getByTestId('transition-field-competitor').fill('Polar Systems')
    await page.screenshot({ path: `${SHOTS}/5-lose-dialog-en.png`, fullPage: true })
    await page.getByTestId('transition-confirm').click()
    await expect.poll(() => card.getAttribute('data-column')).toBe('lost')
    const stored = await getJson<{ stage: string; lostReason: string; competitor: string }>(
      rep,
      `/api/data/opportunity/${id}`,
    )
    expect(stored).toMatchObject({
      stage: 'lost',
      lostReason: 'price',
      competitor: 'Polar Systems',
    })
    await page.screenshot({ path: `${SHOTS}/6-lost-en.png`, fullPage: true })
    expect(patches).toEqual([])
    expect(pageErrors).toEqual([])
  }, 120_000)
})
