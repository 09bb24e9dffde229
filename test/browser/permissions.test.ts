import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { Role } from '../../metadata/role'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor, getJson, signInThroughForm } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

// The demo organisation of a fresh instance: every demo password is `demo`, admin's is `admin`.
const DEMO = 'demo'

interface UserRow {
  id: string
  username: string
  managerId: string | null
  departmentId: string | null
}
interface Department {
  id: string
  name: string
  parentId: string | null
}
interface Customer {
  id: string
  name: string
}

describe.skipIf(!chromiumAvailable())('permissions in the workspace', () => {
  let server: TrellisServer
  let browser: Browser
  let admin: BrowserContext
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    ensureDesignerBuild()
    // First start installs four modules, the demo organisation and demo data: allow time.
    server = await startTrellis(240_000)
    browser = await launchChromium()
    admin = await open('admin', 'admin')
    const { data } = await getJson<{ data: UserRow[] }>(admin, '/api/admin/users')
    for (const user of data) ids[user.username] = user.id
    const depts = await getJson<{ data: Department[] }>(admin, '/api/admin/departments')
    for (const d of depts.data) ids[d.name.toLowerCase()] = d.id
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

  /** Picks a user in a directory picker by typing their username and clicking the suggestion. */
  async function pickUser(scope: Locator, testid: string, username: string): Promise<void> {
    const input = scope.getByTestId(testid)
    await input.fill(username)
    await scope.getByTestId(`option-${ids[username]}`).click()
    await expect.poll(() => input.getAttribute('data-value')).toBe(ids[username])
  }

  /** One customer owned by `username`, found by the admin through the API. */
  async function customerOf(username: string): Promise<Customer> {
    const filter = JSON.stringify({ '==': [{ var: 'owner' }, ids[username]] })
    const url = `/api/data/customer?filter=${encodeURIComponent(filter)}&limit=1`
    const { data } = await getJson<{ data: Customer[] }>(admin, url)
    expect(data, `a demo customer owned by ${username}`).toHaveLength(1)
    return data[0]
  }

  /** How many customers `username` owns (admin's count). */
  async function customersOwnedBy(username: string): Promise<number> {
    const filter = JSON.stringify({ '==': [{ var: 'owner' }, ids[username]] })
    const url = `/api/data/customer?filter=${encodeURIComponent(filter)}&limit=1&count=true`
    return (await getJson<{ total: number }>(admin, url)).total
  }

  /** Opens a customer's record page: its title, or 'not found' when the page says so. */
  async function openCustomer(page: Page, id: string): Promise<string> {
    await page.goto(`/e/customer/${id}`)
    const title = page.getByTestId('title')
    const error = page.getByTestId('record-error')
    await title.or(error).first().waitFor()
    if (await error.isVisible()) {
      expect(await error.textContent()).toContain('Not found')
      return 'not found'
    }
    return (await title.textContent()) ?? ''
  }

  /** The total the customer list page shows with "Count" ticked. */
  async function listTotal(page: Page): Promise<number> {
    await page.goto('/e/customer')
    await page.getByTestId('show-total').check()
    const total = page.getByTestId('total')
    await total.waitFor()
    return Number(/\d+/.exec((await total.textContent()) ?? '')?.[0])
  }

  it("keeps rep_east1 out of rep_west1's customer", async () => {
    const west = await customerOf('rep_west1')
    const own = await customerOf('rep_east1')
    const page = await (await open('rep_east1')).newPage()
    expect(await openCustomer(page, own.id)).toBe(own.name)
    expect(await openCustomer(page, west.id)).toBe('not found')
    // Not an administrator: no admin section in the sidebar.
    expect(await page.getByTestId('nav-admin').count()).toBe(0)
  })

  it("lets mgr_east open rep_east1's customer but not rep_west1's", async () => {
    const east = await customerOf('rep_east1')
    const west = await customerOf('rep_west1')
    const context = await browser.newContext({ baseURL: server.url, locale: 'en-US' })
    contexts.push(context)
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await signInThroughForm(page, 'mgr_east', DEMO)
    expect(await openCustomer(page, east.id)).toBe(east.name)
    expect(await openCustomer(page, west.id)).toBe('not found')
  })

  it("moves rep_east2 under mgr_west in the org tree and both managers' lists follow", async () => {
    const moved = await customerOf('rep_east2')
    const owned = await customersOwnedBy('rep_east2')
    expect(owned).toBeGreaterThan(0)
    // Both managers are signed in before the change: their sessions must not go stale.
    const westPage = await (await open('mgr_west')).newPage()
    const eastPage = await (await open('mgr_east')).newPage()
    const westBefore = await listTotal(westPage)
    const eastBefore = await listTotal(eastPage)
    expect(await openCustomer(westPage, moved.id)).toBe('not found')
    expect(await openCustomer(eastPage, moved.id)).toBe(moved.name)

    const page = await admin.newPage()
    await page.goto('/')
    await page.getByTestId('nav-admin-org').click()
    await page.waitForURL(/\/admin\/org$/)
    const manager = page.getByTestId('manager-rep_east2')
    await expect.poll(() => manager.getAttribute('data-value')).toBe(ids.mgr_east)
    // The manager picker shows a name, found by typing: no list of every user on every row.
    await expect.poll(() => manager.inputValue()).toBe('Evan East')
    await pickUser(page.locator('body'), 'manager-rep_east2', 'mgr_west')
    await page.getByTestId('org-notice').waitFor()
    await expect.poll(() => manager.getAttribute('data-value')).toBe(ids.mgr_west)
    const { data } = await getJson<{ data: UserRow[] }>(admin, '/api/admin/users?q=rep_east2')
    expect(data.find((u) => u.username === 'rep_east2')?.managerId).toBe(ids.mgr_west)

    expect(await listTotal(westPage)).toBe(westBefore + owned)
    expect(await listTotal(eastPage)).toBe(eastBefore - owned)
    expect(await openCustomer(westPage, moved.id)).toBe(moved.name)
    expect(await openCustomer(eastPage, moved.id)).toBe('not found')
    expect(pageErrors).toEqual([])
  })

  it('moves a user and a department by dragging them in the org tree', async () => {
    const page = await admin.newPage()
    await page.goto('/admin/org')
    await page.getByTestId('dept-new-name').fill('Key Accounts')
    await page.getByTestId('dept-new-submit').click()
    const head = (name: string) =>
      page.locator(`[data-testid="org-dept-head"][data-name="${name}"]`)
    await head('Key Accounts').waitFor()

    // Each drop reloads the tree: the next drag waits for it, or it may grab a node being replaced.
    await page.getByTestId('org-user-hr1').dragTo(head('Finance'))
    await page.getByTestId(`org-dept-${ids.finance}`).getByTestId('org-user-hr1').waitFor()
    await head('Key Accounts').dragTo(head('Sales'))
    await page
      .getByTestId(`org-dept-${ids.sales}`)
      .locator('[data-testid="org-dept-head"][data-name="Key Accounts"]')
      .waitFor()
    await expect
      .poll(async () => {
        const users = await getJson<{ data: UserRow[] }>(admin, '/api/admin/users?q=hr1')
        const depts = await getJson<{ data: Department[] }>(admin, '/api/admin/departments')
        const byName = new Map(depts.data.map((d) => [d.name, d]))
        const hr1 = users.data.find((u) => u.username === 'hr1') as UserRow
        return [hr1.departmentId, byName.get('Key Accounts')?.parentId].join()
      })
      .toBe([ids.finance, ids.sales].join())

    // Dropping a department onto its own sub-department is refused before any request.
    await head('Sales').dragTo(head('Key Accounts'))
    await page.getByTestId('org-error').waitFor()
  })

  it('shares a customer from its page, and the share can be taken back', async () => {
    const own = await customerOf('rep_east1')
    const page = await (await open('rep_east1')).newPage()
    const west = await (await open('rep_west1')).newPage()
    expect(await openCustomer(west, own.id)).toBe('not found')

    await openCustomer(page, own.id)
    await page.getByTestId('share').click()
    const dialog = page.getByTestId('share-dialog')
    await dialog.getByTestId('share-none').waitFor()
    await pickUser(dialog, 'share-user', 'rep_west1')
    await dialog.getByTestId('share-submit').click()
    await dialog.getByTestId('share-row').waitFor()
    expect(await openCustomer(west, own.id)).toBe(own.name)

    await dialog.getByTestId('share-remove').click()
    await dialog.getByTestId('share-none').waitFor()
    expect(await openCustomer(west, own.id)).toBe('not found')
  })

  it('hints that a customer name exists, with its owner, but no link when unreadable', async () => {
    const west = await customerOf('rep_west1')
    const page = await (await open('rep_east1')).newPage()
    await page.goto('/e/customer/new')
    await page.getByTestId('field-name').fill(west.name)
    await page.getByTestId('field-name').press('Tab')
    const hint = page.getByTestId('duplicate-hint').first()
    await hint.waitFor()
    expect(await hint.textContent()).toContain(west.name)
    expect(await hint.getAttribute('data-readable')).toBe('false')
    expect(await page.getByTestId('duplicate-hint-link').count()).toBe(0)
  })

  it('shows a refused bulk transfer as not allowed, with the located reason', async () => {
    // A rep has no assign right: the list offers no transfer at all.
    const repPage = await (await open('rep_east1')).newPage()
    await repPage.goto('/e/customer')
    const first = repPage.locator('[data-testid^="row-"]').first()
    const mine = ((await first.getAttribute('data-testid')) ?? '').slice('row-'.length)
    await repPage.getByTestId(`select-${mine}`).check()
    await repPage.getByTestId('bulk-bar').waitFor()
    expect(await repPage.getByTestId('bulk-transfer').count()).toBe(0)
    // mgr_east may assign their team's customers, not one of the west's merely shared with them.
    const west = await customerOf('rep_west1')
    const shared = await admin.request.post(`/api/data/customer/${west.id}/shares`, {
      data: { userId: ids.mgr_east, access: 'read' },
    })
    expect(shared.status()).toBe(201)
    const page = await (await open('mgr_east')).newPage()
    // The list's own address form, `where=field:op:value`: the shared customer is on page one.
    await page.goto(`/e/customer?where=${encodeURIComponent(`owner:eq:${ids.rep_west1}`)}`)
    await page.getByTestId(`select-${west.id}`).check()
    await page.getByTestId('bulk-transfer').click()
    const dialog = page.getByTestId('transfer-dialog')
    await pickUser(dialog, 'transfer-user', 'rep_east2')
    await dialog.getByTestId('transfer-submit').click()
    const error = dialog.getByTestId('transfer-error')
    await error.waitFor()
    expect(await error.getAttribute('data-status')).toBe('403')
    expect(await error.textContent()).toContain('Not allowed')
    expect(await error.getByTestId('transfer-error-line').first().textContent()).toMatch(/^ids/)
    const record = await getJson<{ owner: string }>(admin, `/api/data/customer/${west.id}`)
    expect(record.owner).toBe(ids.rep_west1)
    // Taken back: later tests count what mgr_east sees of the west.
    const { id: shareId } = (await shared.json()) as { id: string }
    const back = await admin.request.delete(`/api/data/customer/${west.id}/shares/${shareId}`)
    expect(back.status()).toBe(204)
  })

  it('creates a user, resets the password, signs in with it, and disables the user', async () => {
    const page = await admin.newPage()
    await page.goto('/admin/users')
    await page.getByTestId('user-new').click()
    const dialog = page.getByTestId('user-dialog')
    await dialog.getByTestId('user-username').fill('rep_east3')
    await dialog.getByTestId('user-displayName').fill('Erin Rep')
    await dialog.getByTestId('user-password').fill('first-password-1')
    // The manager is found by typing part of a name, as with thousands of colleagues.
    await pickUser(dialog, 'user-manager', 'mgr_east')
    await dialog.getByTestId('user-role-salesRep').check()
    await dialog.getByTestId('user-save').click()
    await page.getByTestId('users-notice').waitFor()
    const row = page.getByTestId('user-row-rep_east3')
    await row.waitFor()
    // The manager's name comes from the directory, whoever is on this page of users.
    await expect.poll(() => row.textContent()).toContain('Evan East')

    await row.getByTestId('user-reset').click()
    await page.getByTestId('password-new').fill('second-password-2')
    await page.getByTestId('password-save').click()
    await page.getByTestId('password-dialog').waitFor({ state: 'detached' })
    const context = await open('rep_east3', 'second-password-2')
    const me = await getJson<{ user: { roles?: string[] } }>(context, '/api/auth/me')
    expect(me.user.roles).toEqual(['salesRep'])

    // Disabling the user through the edit dialog shows in the list.
    await row.getByTestId('user-edit').click()
    await page.getByTestId('user-disabled').check()
    await page.getByTestId('user-save').click()
    await expect.poll(() => row.textContent()).toContain('Disabled')
  })

  it('edits a role in the permission matrix, saves the draft and applies it', async () => {
    const page = await admin.newPage()
    await page.goto('/admin/roles')
    await page.getByTestId('role-select').selectOption('salesRep')
    const cell = page.getByTestId('cell-customer-export')
    await cell.waitFor()
    await cell.selectOption('own')
    await page.getByTestId('field-rules-entity').selectOption('customer')
    await page.getByTestId('field-rule-phone').selectOption('read')
    await page.getByTestId('role-save').click()
    const refused = page.getByTestId('roles-error')
    await page.getByTestId('roles-plan').or(refused).first().waitFor()
    const why = (await refused.count()) ? await refused.textContent() : ''
    expect(why, 'saving the role draft was refused').toBe('')
    await page.getByTestId('role-apply').click()
    await expect.poll(() => page.getByTestId('roles-notice').textContent()).toMatch(/Applied/)

    const { data } = await getJson<{ data: Role[] }>(admin, '/api/admin/roles')
    const grant = data.find((r) => r.id === 'salesRep')?.grants.find((g) => g.entity === 'customer')
    expect(grant?.scopes.export).toBe('own')
    expect(grant?.fields?.phone).toBe('read')
  })

  it('filters the customer list by an owner picked by name, within what the caller sees', async () => {
    const page = await (await open('mgr_east')).newPage()
    await page.goto('/e/customer')
    await page.getByTestId('filter-add').click()
    await page.getByTestId('filter-field-0').selectOption('owner')
    // An owner is an id: the value is picked by name, and 'contains' is not offered.
    const ops = await page.getByTestId('filter-op-0').locator('option').allTextContents()
    expect(ops.length).toBe(4)
    await pickUser(page.locator('body'), 'filter-value-0', 'rep_east1')
    await page.getByTestId('show-total').check()
    await page.getByTestId('filter-apply').click()
    const owned = await customersOwnedBy('rep_east1')
    await expect.poll(() => page.getByTestId('total').textContent()).toContain(String(owned))
    const rows = await page
      .locator('[data-testid^="row-"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.slice('row-'.length)))
    expect(rows.length).toBeGreaterThan(0)
    if (owned <= 25) expect(rows.length).toBe(owned)
    const filter = JSON.stringify({ '==': [{ var: 'owner' }, ids.rep_east1] })
    const { data } = await getJson<{ data: Customer[] }>(
      admin,
      `/api/data/customer?filter=${encodeURIComponent(filter)}&limit=100`,
    )
    const theirs = new Set(data.map((c) => c.id))
    for (const id of rows) expect(theirs.has(id), id).toBe(true)

    // A sibling team's rep as the value: the manager's scope still applies, so nothing shows.
    await pickUser(page.locator('body'), 'filter-value-0', 'rep_west1')
    await page.getByTestId('filter-apply').click()
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/\b0\b/)
    expect(await page.locator('[data-testid^="row-"]').count()).toBe(0)
  })

  it('transfers selected customers in bulk from the list', async () => {
    const page = await admin.newPage()
    await page.goto('/e/customer')
    const rows = page.getByTestId('list').locator('tbody tr')
    await rows.nth(1).waitFor()
    // Two rows rep_west1 does not own yet, so both transfers change an owner.
    const picked: string[] = []
    for (let i = 0; picked.length < 2; i++) {
      const id = ((await rows.nth(i).getAttribute('data-testid')) ?? '').replace(/^row-/, '')
      const record = await getJson<{ owner: string }>(admin, `/api/data/customer/${id}`)
      if (record.owner === ids.rep_west1) continue
      picked.push(id)
      await page.getByTestId(`select-${id}`).check()
    }
    await page.getByTestId('bulk-transfer').click()
    const dialog = page.getByTestId('transfer-dialog')
    await pickUser(dialog, 'transfer-user', 'rep_west1')
    await dialog.getByTestId('transfer-keep').check()
    await dialog.getByTestId('transfer-submit').click()
    await expect
      .poll(() => dialog.getByTestId('transfer-notice').textContent())
      .toContain('Transferred 2')
    for (const id of picked) {
      const record = await getJson<{ owner: string }>(admin, `/api/data/customer/${id}`)
      expect(record.owner).toBe(ids.rep_west1)
    }
    expect(pageErrors).toEqual([])
  })
})
