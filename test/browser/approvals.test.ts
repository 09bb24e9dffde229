import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
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

const SHOTS = '/tmp/approval-shots'
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
// A message key shown instead of its text, or a float artefact like 0.30000000000000004.
const RAW_KEY = /\b(flow|approval|inbox|settings)\.[a-z]+/i
const FLOAT = /\d\.\d{6,}/
const ZONE = 'Asia/Shanghai'

interface TransitionsAnswer {
  state: { id: string; final?: boolean } | null
  transitions: { id: string; available: boolean; approval?: boolean }[]
}

/**
 * A database in memory with the four modules and the demo organisation (people, managers), no
 * demo records: the approvals here are the test's own.
 */
async function openOrgDb(): Promise<Db> {
  const db = await openDb({ dataDir: 'memory://' })
  await migratePlatform(db)
  const meta = await loadPublishedMetadata(db)
  const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta }
  const installed = await installModules(ctx)
  await ensureDemoOrganisation(installed, await ensureDemoAdmin(installed))
  return db
}

/** A day `days` from today in ZONE, as a date input's value. */
function dayFromNow(days: number): string {
  const at = Date.now() + days * 24 * 3_600_000
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(at)
}

/**
 * A rep files a two-day leave request and submits it through the record page's flow buttons;
 * their manager sees it counted in the sidebar and listed in the Approvals inbox, opens it and
 * approves with a comment; the rep's record then shows the final state, the approval and its
 * timeline — in English, Chinese and Korean, with names and labels, never ids or keys.
 */
describe.skipIf(!chromiumAvailable())('approvals in Chromium', () => {
  let db: Db
  let server: Awaited<ReturnType<typeof serveInProcess>>
  let browser: Browser
  let rep: BrowserContext
  let mgr: BrowserContext
  const pageErrors: string[] = []

  beforeAll(async () => {
    ensureDesignerBuild()
    mkdirSync(SHOTS, { recursive: true })
    db = await openOrgDb()
    server = await serveInProcess(db)
    browser = await launchChromium()
    rep = await contextFor(browser, server.url, 'rep_east1', 'demo', { timezoneId: ZONE })
    mgr = await contextFor(browser, server.url, 'mgr_east', 'demo', { timezoneId: ZONE })
    for (const c of [rep, mgr])
      c.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)))
  }, 300_000)

  afterAll(async () => {
    await rep?.close()
    await mgr?.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  }, 30_000)

  /** The visible text of a part of the page, checked for ids, message keys and float noise. */
  async function cleanText(page: Page, testid: string): Promise<string> {
    const text = (await page.getByTestId(testid).innerText()).trim()
    expect(text, `${testid} shows an id`).not.toMatch(UUID)
    expect(text, `${testid} shows a message key`).not.toMatch(RAW_KEY)
    expect(text, `${testid} shows a float artefact`).not.toMatch(FLOAT)
    return text
  }

  async function fileLeave(page: Page): Promise<string> {
    await page.goto('/e/leaveRequest/new')
    await page.getByTestId('field-leaveType').selectOption('annual')
    await page.getByTestId('field-startDate').fill(dayFromNow(7))
    await page.getByTestId('field-endDate').fill(dayFromNow(8))
    await page.getByTestId('field-reason').fill('Family visit')
    await page.getByTestId('save').click()
    await page.waitForURL(/\/e\/leaveRequest\/[0-9a-f-]{36}$/)
    return page.url().split('/').pop() as string
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

  it('the manager approves a leave request from the inbox; the rep sees it approved', async () => {
    const me = await getJson<{ user: { displayName: string } }>(mgr, '/api/auth/me')
    const repName = (await getJson<{ user: { displayName: string } }>(rep, '/api/auth/me')).user
      .displayName
    const page = await rep.newPage()
    await page.goto('/')
    await setLocale(page, 'en')
    const id = await fileLeave(page)
    const url = `/api/data/leaveRequest/${id}/transitions`

    // Draft: the stepper marks it, and the submit button is there.
    const draft = await getJson<TransitionsAnswer>(rep, url)
    const submit = draft.transitions.find((t) => t.available && t.approval)
    expect(submit, JSON.stringify(draft)).toBeDefined()
    const panel = page.getByTestId('flow-panel')
    await expect.poll(() => panel.getAttribute('data-state')).toBe(draft.state?.id)
    await expect
      .poll(() => page.getByTestId(`flow-state-${draft.state?.id}`).getAttribute('aria-current'))
      .toBe('step')
    await page.screenshot({ path: `${SHOTS}/1-draft-en.png`, fullPage: true })

    await page.getByTestId(`transition-${submit!.id}`).click()
    const dialog = page.getByTestId('transition-dialog')
    if (await dialog.isVisible().catch(() => false)) {
      await page.getByTestId('transition-comment').fill('Two days, please')
      await page.getByTestId('transition-confirm').click()
    }
    await page.getByTestId('approval-panel').waitFor({ timeout: 60_000 })
    await expect
      .poll(() => page.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('running')
    const pending = await getJson<TransitionsAnswer>(rep, url)
    await expect.poll(() => panel.getAttribute('data-state')).toBe(pending.state?.id)
    await page.screenshot({ path: `${SHOTS}/2-submitted-en.png`, fullPage: true })
    await cleanText(page, 'approval-panel')

    // The manager: a count in the sidebar, the request in the pending box.
    const inbox = await mgr.newPage()
    await inbox.goto('/')
    await setLocale(inbox, 'en')
    await expect
      .poll(async () => Number(await inbox.getByTestId('nav-inbox-count').textContent()))
      .toBeGreaterThanOrEqual(1)
    const before = Number(await inbox.getByTestId('nav-inbox-count').textContent())
    await inbox.getByTestId('nav-inbox').click()
    await inbox.waitForURL(/\/inbox/)
    const row = inbox.locator(`[data-testid="inbox-row"][data-record="${id}"]`)
    await row.waitFor()
    // The title reads as the select's label once the entity's definition has loaded.
    await expect.poll(() => row.innerText()).toContain('Annual leave')
    expect(await row.innerText()).toContain(repName)
    await cleanText(inbox, 'inbox-table')
    await inbox.screenshot({ path: `${SHOTS}/3-inbox-en.png`, fullPage: true })

    await row.getByTestId('inbox-open').click()
    await inbox.waitForURL(new RegExp(`/e/leaveRequest/${id}$`))
    await inbox.getByTestId('task-approve').click()
    await inbox.getByTestId('task-comment').fill('Enjoy the break')
    await inbox.getByTestId('task-confirm').click()
    await expect
      .poll(() => inbox.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('approved')
    await expect
      .poll(async () =>
        Number(
          (await inbox.getByTestId('nav-inbox-count').count())
            ? await inbox.getByTestId('nav-inbox-count').textContent()
            : 0,
        ),
      )
      .toBe(before - 1)
    await inbox.screenshot({ path: `${SHOTS}/4-approved-by-manager-en.png`, fullPage: true })

    // The rep: the final state, the approval approved, the manager's comment in the timeline.
    const done = await getJson<TransitionsAnswer>(rep, url)
    expect(done.state?.id).not.toBe(pending.state?.id)
    await page.reload()
    await expect.poll(() => panel.getAttribute('data-state')).toBe(done.state?.id)
    await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Approved')
    const approveLine = page.locator('[data-testid="timeline-entry"][data-action="approve"]')
    await expect.poll(() => approveLine.innerText()).toContain(me.user.displayName)
    expect(await approveLine.innerText()).toContain('Enjoy the break')
    await cleanText(page, 'approval-panel')
    await cleanText(page, 'flow-stepper')
    await page.screenshot({ path: `${SHOTS}/5-rep-approved-en.png`, fullPage: true })

    for (const [locale, approved] of [
      ['zh-CN', '已批准'],
      ['ko', '승인됨'],
    ] as const) {
      await setLocale(page, locale)
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe(approved)
      // The stepper names the approved state with the same word as the approval's badge.
      const current = page.locator('[data-testid="flow-stepper"] [aria-current="step"]')
      await expect.poll(() => current.innerText()).toContain(approved)
      const text = await cleanText(page, 'approval-panel')
      expect(text, 'an English status word in another language').not.toMatch(/approved/i)
      await page.screenshot({ path: `${SHOTS}/6-rep-approved-${locale}.png`, fullPage: true })
    }

    // The rep's submitted box lists it too.
    await page.goto('/inbox?box=submitted')
    await page.locator(`[data-testid="inbox-row"][data-record="${id}"]`).waitFor()
    await page.screenshot({ path: `${SHOTS}/7-submitted-box-ko.png`, fullPage: true })
    await setLocale(page, 'en')
    expect(pageErrors).toEqual([])
  }, 180_000)

  it('the manager rejects in bulk with a comment; the rep resubmits', async () => {
    const page = await rep.newPage()
    await page.goto('/')
    await setLocale(page, 'en')
    const id = await fileLeave(page)
    const url = `/api/data/leaveRequest/${id}/transitions`
    const draft = await getJson<TransitionsAnswer>(rep, url)
    const submit = draft.transitions.find((t) => t.available && t.approval)!
    await page.getByTestId(`transition-${submit.id}`).click()
    await expect
      .poll(() => page.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('running')

    const inbox = await mgr.newPage()
    await inbox.goto('/inbox')
    const row = inbox.locator(`[data-testid="inbox-row"][data-record="${id}"]`)
    await row.getByTestId('inbox-select').check()
    await inbox.getByTestId('inbox-reject').click()
    // Rejecting asks for the reason first.
    await inbox.getByTestId('bulk-confirm').click()
    await inbox.getByRole('alert').filter({ hasText: 'reason' }).waitFor()
    await inbox.getByTestId('bulk-comment').fill('Those days are the stock-take')
    await inbox.getByTestId('bulk-confirm').click()
    await expect.poll(() => inbox.getByTestId('inbox-outcome').innerText()).toBe('1 done.')
    await expect.poll(() => row.count()).toBe(0)
    await inbox.screenshot({ path: `${SHOTS}/8-bulk-rejected-en.png`, fullPage: true })

    await page.reload()
    await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Rejected')
    const rejectLine = page.locator('[data-testid="timeline-entry"][data-action="reject"]')
    expect(await rejectLine.innerText()).toContain('Those days are the stock-take')
    await cleanText(page, 'approval-panel')
    await page.screenshot({ path: `${SHOTS}/9-rep-rejected-en.png`, fullPage: true })

    await page.getByTestId('approval-resubmit').click()
    await page.getByTestId('task-comment').fill('Moved by a week')
    await page.getByTestId('task-confirm').click()
    await expect
      .poll(() => page.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('running')
    await inbox.reload()
    await row.waitFor()
    await page.screenshot({ path: `${SHOTS}/10-resubmitted-en.png`, fullPage: true })
    expect(pageErrors).toEqual([])
  }, 180_000)

  it('the manager names a substitute for a week in their settings', async () => {
    const page = await mgr.newPage()
    await page.goto('/')
    await setLocale(page, 'en')
    await page.getByTestId('user-name').click()
    await page.waitForURL(/\/settings$/)
    await expect.poll(() => page.getByTestId('ooo-current').innerText()).toBe('Not set.')
    const picker = page.getByTestId('ooo-substitute')
    await picker.click()
    await picker.fill('Emma')
    await page.getByTestId('ooo-substitute-options').getByText('Emma Rep').click()
    // An end before the start is refused here, before the server is asked.
    await page.getByTestId('ooo-from').fill(`${dayFromNow(3)}T09:00`)
    await page.getByTestId('ooo-to').fill(`${dayFromNow(2)}T18:00`)
    await page.getByTestId('ooo-save').click()
    await page.getByTestId('ooo-problem').waitFor()
    await page.getByTestId('ooo-to').fill(`${dayFromNow(10)}T18:00`)
    await page.getByTestId('ooo-save').click()
    await page.getByTestId('ooo-notice').waitFor()
    const stored = await getJson<{ substitute: string; substituteName: string; from: string }>(
      mgr,
      '/api/me/out-of-office',
    )
    expect(stored.substituteName).toBe('Emma Rep')
    expect(new Date(stored.from).toISOString()).toBe(
      new Date(`${dayFromNow(3)}T09:00:00+08:00`).toISOString(),
    )
    const text = await cleanText(page, 'out-of-office')
    expect(text).toContain('Set: Emma Rep takes your tasks')
    await page.screenshot({ path: `${SHOTS}/11-out-of-office-en.png`, fullPage: true })
    await page.getByTestId('ooo-clear').click()
    await expect.poll(() => page.getByTestId('ooo-current').innerText()).toBe('Not set.')
    expect(pageErrors).toEqual([])
  }, 120_000)

  it('a transition fired from a stale page says the record changed and reloads it', async () => {
    const first = await rep.newPage()
    await first.goto('/')
    await setLocale(first, 'en')
    const id = await fileLeave(first)
    const second = await rep.newPage()
    await second.goto(`/e/leaveRequest/${id}`)
    const draft = await getJson<TransitionsAnswer>(rep, `/api/data/leaveRequest/${id}/transitions`)
    const submit = draft.transitions.find((t) => t.available && t.approval)!
    await second.getByTestId(`transition-${submit.id}`).waitFor()

    await first.getByTestId(`transition-${submit.id}`).click()
    // The first transition of a fresh server may take a while on a busy machine.
    await first.getByTestId('approval-panel').waitFor({ timeout: 60_000 })
    await expect
      .poll(() => first.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('running')
    await second.getByTestId(`transition-${submit.id}`).click()
    await expect
      .poll(() => second.getByTestId('flow-conflict').innerText())
      .toContain('This record changed meanwhile')
    // Reloaded: the second page now shows the running approval and no submit button.
    await expect
      .poll(() => second.getByTestId('approval-panel').getAttribute('data-status'))
      .toBe('running')
    expect(await second.getByTestId(`transition-${submit.id}`).count()).toBe(0)
    await second.screenshot({ path: `${SHOTS}/12-stale-en.png`, fullPage: true })
    expect(pageErrors).toEqual([])
  }, 120_000)

  it('losing an opportunity asks for the reason and competitor with the form widgets', async () => {
    const post = async (entity: string, data: Record<string, unknown>) => {
      const res = await rep.request.post(`/api/data/${entity}`, { data })
      expect(res.status(), await res.text()).toBe(201)
      return ((await res.json()) as { id: string }).id
    }
    const customer = await post('customer', { name: 'Harbour Logistics' })
    const id = await post('opportunity', { name: 'Cold store fit-out', customer })
    const page = await rep.newPage()
    await page.goto('/')
    await setLocale(page, 'en')
    await page.goto(`/e/opportunity/${id}`)
    await page.getByTestId('transition-lose').click()
    const dialog = page.getByTestId('transition-dialog')
    await page.getByTestId('transition-confirm').click()
    // Both required fields are named before anything is sent.
    await expect.poll(() => dialog.getByRole('alert').count()).toBe(2)
    await page.getByTestId('transition-field-lostReason').selectOption('price')
    await page.getByTestId('transition-field-competitor').fill('Polar Systems')
    await page.screenshot({ path: `${SHOTS}/13-lose-dialog-en.png`, fullPage: true })
    await page.getByTestId('transition-confirm').click()
    await expect.poll(() => page.getByTestId('flow-panel').getAttribute('data-state')).toBe('lost')
    const stored = await getJson<{ lostReason: string; competitor: string }>(
      rep,
      `/api/data/opportunity/${id}`,
    )
    expect(stored).toMatchObject({ lostReason: 'price', competitor: 'Polar Systems' })
    await cleanText(page, 'flow-stepper')
    await page.screenshot({ path: `${SHOTS}/14-lost-en.png`, fullPage: true })
    expect(pageErrors).toEqual([])
  }, 120_000)
})
