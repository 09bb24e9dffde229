import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor, getJson } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

const SHOTS = '/tmp/pool-shots'
// Two reps of Sales East (members of the shipped east pool) and the demo administrator.
const REP_A = 'rep_east1'
const REP_B = 'rep_east2'
const PASSWORD = 'demo'

/**
 * Waits until the first start's demo events are handed out (the embedded database is busy with
 * them for a while after the server listens), so sign-ins and pages answer in their time limits.
 */
async function waitForQuiet(url: string): Promise<void> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin' }),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const deadline = Date.now() + 240_000
  for (;;) {
    const res = await fetch(`${url}/api/health`, { headers: { cookie } })
    const body = (await res.json()) as { jobs?: { undeliveredEvents?: number } }
    if (body.jobs?.undeliveredEvents === 0) return
    if (Date.now() > deadline) throw new Error(`events still undelivered: ${JSON.stringify(body)}`)
    await new Promise((resolve) => setTimeout(resolve, 2_000))
  }
}

/** Creates a customer as the administrator and returns it to the east pool. */
async function poolCustomer(admin: BrowserContext, data: Record<string, unknown>) {
  const created = await admin.request.post('/api/data/customer', { data })
  expect(created.status()).toBe(201)
  const { id } = (await created.json()) as { id: string }
  const released = await admin.request.post(`/api/data/customer/${id}/release`, {
    data: { pool: 'east', reason: 'noNeed' },
  })
  expect(released.status()).toBe(200)
  return { id, name: String(data.name) }
}

/** Reads the two numbers of "Held 7 / 100" (or its translation). */
async function heldCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('pool-held').textContent()) ?? ''
  const match = /(\d+)\s*\/\s*(\d+)/.exec(text)
  if (!match) throw new Error(`no held count in "${text}"`)
  return Number(match[1])
}

/**
 * The customer pool in the workspace, as two reps of the same pool see it in their own browser
 * contexts: one claims, the other's late claim is refused in their language and the row goes,
 * and a release with a reason puts the customer back for the other rep.
 */
describe.skipIf(!chromiumAvailable())('customer pools in Chromium', () => {
  let server: TrellisServer
  let browser: Browser
  let admin: BrowserContext
  let repA: BrowserContext
  let repB: BrowserContext
  const pageErrors: string[] = []
  let x: { id: string; name: string }

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    server = await startTrellis(240_000)
    await waitForQuiet(server.url)
    browser = await launchChromium()
    admin = await contextFor(browser, server.url, 'admin', 'admin')
    repA = await contextFor(browser, server.url, REP_A, PASSWORD)
    repB = await contextFor(browser, server.url, REP_B, PASSWORD)
    // Two cores shared with other work: give each step more than the support's 15 s.
    for (const c of [admin, repA, repB]) c.setDefaultTimeout(60_000)
    // Rep B works in Chinese: the workspace reads the stored choice before it renders.
    // (about:blank has no storage: only the workspace's own pages set it.)
    await repB.addInitScript({
      content:
        "if (location.protocol.startsWith('http')) localStorage.setItem('trellis.locale', 'zh-CN')",
    })
    for (const c of [repA, repB])
      c.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
    // The demo customers all have owners: the administrator puts fresh ones in the east pool.
    const stamp = Date.now()
    x = await poolCustomer(admin, { name: `Pool Test Co ${stamp}`, level: 'C', region: 'east' })
    await poolCustomer(admin, {
      name: `Neighbour Trading ${stamp}`,
      level: 'B',
      region: 'south',
      industry: 'manufacturing',
      phone: '021-5555 0101',
    })
  }, 600_000)

  afterAll(async () => {
    for (const c of [admin, repA, repB]) await c?.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  it('lets one rep claim, refuses the other in their language and returns the customer', async () => {
    const a = await repA.newPage()
    await a.goto('/')
    await a.getByTestId('nav-pools').click()
    await a.waitForURL(/\/pools$/)
    const rowA = a.getByTestId(`pool-row-${x.id}`)
    await rowA.waitFor()
    // The usual list display: the name, labels of selects, no ids, no owner or pool column.
    expect(await rowA.textContent()).toContain(x.name)
    expect(await rowA.textContent()).toContain('C (minor)')
    expect(await rowA.textContent()).not.toContain(x.id)
    expect(await a.getByTestId('pool-col-owner').count()).toBe(0)
    const heldBefore = await heldCount(a)
    await a.screenshot({ path: `${SHOTS}/pool-en.png`, fullPage: true })

    const b = await repB.newPage()
    await b.goto('/pools')
    const rowB = b.getByTestId(`pool-row-${x.id}`)
    await rowB.waitFor()
    expect(await b.getByTestId('pool-held').textContent()).toMatch(/^已持有 \d+ \/ 100$/)
    await b.screenshot({ path: `${SHOTS}/pool-zh-CN.png`, fullPage: true })

    // Rep A claims first: the row leaves A's list and A's held count goes up by one.
    await a.getByTestId(`claim-${x.id}`).click()
    await expect.poll(() => a.getByTestId('pool-notice').textContent()).toContain('is yours now')
    await expect.poll(() => rowA.count()).toBe(0)
    await expect.poll(() => heldCount(a)).toBe(heldBefore + 1)
    expect(await a.getByTestId('pool-claims-left').textContent()).toMatch(/Claims left today: \d+/)
    await a.screenshot({ path: `${SHOTS}/pool-en-claimed.png`, fullPage: true })

    // Rep B's page still shows the customer; the late claim is refused in Chinese and it goes.
    await b.getByTestId(`claim-${x.id}`).click()
    const refusal = b.getByTestId('pool-notice')
    await expect.poll(() => refusal.textContent()).toContain(`已被他人抢先领取`)
    expect(await refusal.textContent()).toContain(x.name)
    // The name carries a time stamp, whose digits may hold 409: only the words around it count.
    expect((await refusal.textContent())?.replace(x.name, '')).not.toMatch(/taken|409|conflict/i)
    await expect.poll(() => rowB.count()).toBe(0)
    await expect.poll(() => b.getByTestId('pool-waiting').textContent()).toBe('公海中有 1 条待领取')
    await b.screenshot({ path: `${SHOTS}/pool-zh-CN-refused.png`, fullPage: true })

    // Rep A releases it from the record page; the reason is required.
    await a.getByTestId('pool-open-claimed').click()
    await a.waitForURL(`**/e/customer/${x.id}`)
    await expect
      .poll(() => a.getByTestId('history').textContent())
      .toContain('claimed from the pool by Emma Rep')
    await a.getByTestId('release').click()
    const dialog = a.getByTestId('release-dialog')
    await dialog.waitFor()
    await dialog.getByTestId('release-submit').click()
    await dialog.getByTestId('release-missing').waitFor()
    await a.screenshot({ path: `${SHOTS}/release-en.png` })
    await dialog.getByTestId('release-reason').selectOption('wrongContact')
    await dialog.getByTestId('release-submit').click()
    await a.waitForURL(/\/pools\?pool=east$/)
    await expect.poll(() => a.getByTestId('pool-notice').textContent()).toContain(x.name)
    await expect.poll(() => heldCount(a)).toBe(heldBefore)

    // Back in the pool for rep B, who claims it now.
    await b.reload()
    await rowB.waitFor()
    await b.getByTestId(`claim-${x.id}`).click()
    await expect.poll(() => b.getByTestId('pool-notice').textContent()).toContain('已归您负责')
    const history = await getJson<{ data: { action: string }[] }>(
      admin,
      `/api/data/customer/${x.id}/history`,
    )
    const moves = history.data.map((h) => h.action).filter((a) => a !== 'create')
    expect(moves.filter((a) => a === 'claim')).toHaveLength(2)
    expect(moves.filter((a) => a === 'release')).toHaveLength(2)
    expect(pageErrors).toEqual([])
  })

  it('offers Release only where it applies, and no pools entry to a non-member', async () => {
    // Rep B owns the customer now: Release shows on its page (in Chinese).
    const b = await repB.newPage()
    await b.goto(`/e/customer/${x.id}`)
    await expect.poll(() => b.getByTestId('release').textContent()).toBe('退回公海')
    // The history names the moves and the reason in Chinese, not their codes.
    const history = b.getByTestId('history')
    await expect.poll(() => history.textContent()).toContain('联系方式错误')
    expect(await history.textContent()).toContain('Emma Rep 退回公海')
    expect(await history.textContent()).not.toMatch(/wrongContact|noNeed|reason/)
    await b.screenshot({ path: `${SHOTS}/record-zh-CN.png`, fullPage: true })

    // Rep A's own customer in the east region is for the east pool: Release shows, once checked.
    const a = await repA.newPage()
    const east = await repA.request.post('/api/data/customer', {
      data: { name: `East Own Co ${Date.now()}`, level: 'B', region: 'east' },
    })
    expect(east.status()).toBe(201)
    await a.goto(`/e/customer/${((await east.json()) as { id: string }).id}`)
    await a.getByTestId('release-checked').waitFor({ state: 'attached' })
    expect(await a.getByTestId('release').textContent()).toBe('Release to pool')

    // Rep A's own customer overseas is not for the east pool (its filter is by region), the
    // only pool rep A is in: once Release has checked rep A's pools, there is no Release.
    const overseas = await repA.request.post('/api/data/customer', {
      data: { name: `Overseas Co ${Date.now()}`, level: 'B', region: 'overseas' },
    })
    expect(overseas.status()).toBe(201)
    await a.goto(`/e/customer/${((await overseas.json()) as { id: string }).id}`)
    await a.getByTestId('title').waitFor()
    await a.getByTestId('release-checked').waitFor({ state: 'attached' })
    expect(await a.getByTestId('release').count()).toBe(0)

    // A service agent is in no pool: the navigation has no pools entry.
    const agent = await contextFor(browser, server.url, 'agent1', PASSWORD)
    const page = await agent.newPage()
    const pools = page.waitForResponse((r) => r.url().endsWith('/api/pools'))
    await page.goto('/')
    expect(((await (await pools).json()) as { data: unknown[] }).data).toEqual([])
    await page.getByTestId('sidebar').locator('a').first().waitFor()
    expect(await page.getByTestId('nav-pools').count()).toBe(0)
    await agent.close()
    expect(pageErrors).toEqual([])
  })

  it('keeps the rows of the pool chosen last when an earlier pool answers late', async () => {
    type Rows = { data: { id: string }[] }
    const eastRows = await getJson<Rows>(admin, '/api/pools/east/records?limit=25')
    const westRows = await getJson<Rows>(admin, '/api/pools/west/records?limit=25')
    expect(eastRows.data.length).toBeGreaterThan(0)
    const page = await admin.newPage()
    // The east pool's rows are held back until the west pool's rows are on screen.
    let asked!: () => void
    const eastAsked = new Promise<void>((resolve) => (asked = resolve))
    let letGo!: () => void
    const eastHeld = new Promise<void>((resolve) => (letGo = resolve))
    await page.route(/\/api\/pools\/east\/records/, async (route) => {
      asked()
      await eastHeld
      await route.continue()
    })
    await page.goto('/pools?pool=east')
    await eastAsked
    const westAnswer = page.waitForResponse((r) => /\/api\/pools\/west\/records/.test(r.url()))
    await page.getByTestId('pool-tab-west').click()
    await westAnswer
    const eastDone = page.waitForEvent('requestfinished', (r) =>
      /\/api\/pools\/east\/records/.test(r.url()),
    )
    letGo()
    await eastDone
    // Give the late answer its chance to render (two frames), then the west rows must still show.
    await page.evaluate(
      'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))',
    )
    expect(await page.getByTestId('pool-tab-west').getAttribute('aria-selected')).toBe('true')
    const shown = await page
      .locator('[data-testid^="pool-row-"]')
      .evaluateAll((rows) =>
        rows.map((r) => r.getAttribute('data-testid')!.slice('pool-row-'.length)),
      )
    expect(shown.sort()).toEqual(westRows.data.map((r) => r.id).sort())
    await page.close()
  })
})
