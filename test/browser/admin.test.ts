import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './support/chromium'
import { ensureDesignerBuild } from './support/designer-build'
import { contextFor, getJson } from './support/sign-in'
import { startTrellis, type TrellisServer } from './support/trellis-server'

interface UserRow {
  id: string
  username: string
  positionId: string | null
}
interface Department {
  id: string
  name: string
}
interface Position {
  id: string
  name: string
  departmentId: string | null
}

describe.skipIf(!chromiumAvailable())('organisation admin and pickers in the workspace', () => {
  let server: TrellisServer
  let browser: Browser
  let admin: BrowserContext
  const pageErrors: string[] = []
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    ensureDesignerBuild()
    // First start installs four modules, the demo organisation and demo data: allow time.
    server = await startTrellis(240_000)
    browser = await launchChromium()
    admin = await contextFor(browser, server.url, 'admin', 'admin')
    admin.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)))
    const { data } = await getJson<{ data: UserRow[] }>(admin, '/api/admin/users')
    for (const user of data) ids[user.username] = user.id
    for (const d of await departments()) ids[d.name] = d.id
  }, 300_000)

  afterAll(async () => {
    await admin?.close()
    await browser?.close()
    await server?.stop()
  }, 30_000)

  const departments = async () =>
    (await getJson<{ data: Department[] }>(admin, '/api/admin/departments')).data
  const positions = async () =>
    (await getJson<{ data: Position[] }>(admin, '/api/admin/positions')).data

  it('creates a position in a department, gives it to a user, and refuses to delete it then', async () => {
    const page = await admin.newPage()
    await page.goto('/')
    await page.getByTestId('nav-admin-positions').click()
    await page.waitForURL(/\/admin\/positions$/)
    const form = page.getByTestId('position-new')
    await form.getByTestId('position-name').fill('Account Executive')
    // The department picker narrows by any words of the path; a click picks.
    await form.getByTestId('position-department').fill('sales east')
    await form.getByTestId(`option-${ids['Sales East']}`).click()
    await expect
      .poll(() => form.getByTestId('position-department').inputValue())
      .toContain('Sales East')
    await form.getByTestId('position-save').click()
    await page.getByTestId('positions-notice').waitFor()
    const row = page.locator('[data-testid="position-row"][data-name="Account Executive"]')
    await expect.poll(() => row.textContent()).toContain('Sales East')
    const created = (await positions()).find((p) => p.name === 'Account Executive')
    expect(created?.departmentId).toBe(ids['Sales East'])

    await page.getByTestId('nav-admin-users').click()
    await page.getByTestId('user-row-rep_west1').getByTestId('user-edit').click()
    const dialog = page.getByTestId('user-dialog')
    const choice = dialog.getByTestId('user-position')
    expect(await choice.locator(`option[value="${created?.id}"]`).textContent()).toContain(
      'Account Executive',
    )
    await choice.selectOption(created?.id ?? '')
    await dialog.getByTestId('user-save').click()
    await page.getByTestId('users-notice').waitFor()
    const userRow = page.getByTestId('user-row-rep_west1')
    await expect
      .poll(() => userRow.getByTestId('user-position-name').textContent())
      .toBe('Account Executive')
    const user = await getJson<UserRow>(admin, `/api/admin/users/${ids.rep_west1}`)
    expect(user.positionId).toBe(created?.id)

    // Held by one user now: deleting it is refused with a message that says why.
    await page.getByTestId('nav-admin-positions').click()
    await expect.poll(() => row.getByTestId('position-holders').textContent()).toBe('1')
    await row.getByTestId('position-delete').click()
    await row.getByTestId('position-delete-confirm').click()
    const conflict = page.getByTestId('positions-conflict')
    await conflict.waitFor()
    expect(await conflict.textContent()).toContain('1 user(s) still hold it')
    expect((await positions()).some((p) => p.id === created?.id)).toBe(true)
    expect(pageErrors).toEqual([])
  })

  it('deletes an empty department and explains why a non-empty one stays', async () => {
    const page = await admin.newPage()
    await page.goto('/admin/org')
    const head = (name: string) =>
      page.locator(`[data-testid="org-dept-head"][data-name="${name}"]`)
    await page.getByTestId('dept-new-name').fill('Short-lived Team')
    await page.getByTestId('dept-new-submit').click()
    await head('Short-lived Team').waitFor()
    const temp = (await departments()).find((d) => d.name === 'Short-lived Team') as Department

    await page.getByTestId(`dept-delete-${temp.id}`).click()
    await page.getByTestId(`dept-delete-${temp.id}-cancel`).click()
    expect(await head('Short-lived Team').count()).toBe(1)
    await page.getByTestId(`dept-delete-${temp.id}`).click()
    await page.getByTestId(`dept-delete-${temp.id}-confirm`).click()
    await expect.poll(() => page.getByTestId('org-notice').textContent()).toContain('deleted')
    await expect.poll(() => head('Short-lived Team').count()).toBe(0)
    expect((await departments()).some((d) => d.id === temp.id)).toBe(false)

    // Sales East still has its manager and two reps: the server answers 409 and the page says so.
    const east = ids['Sales East']
    await page.getByTestId(`dept-delete-${east}`).click()
    await page.getByTestId(`dept-delete-${east}-confirm`).click()
    const conflict = page.getByTestId('org-conflict')
    await conflict.waitFor()
    const text = await conflict.textContent()
    expect(text).toContain('Sales East cannot be deleted')
    expect(text).toContain('3 user(s) and 0 sub-department(s)')
    expect((await departments()).some((d) => d.id === east)).toBe(true)
    expect(await head('Sales East').count()).toBe(1)
    expect(pageErrors).toEqual([])
  })

  it('picks a customer owner by typing part of a display name, and shows names, not ids', async () => {
    const page = await admin.newPage()
    await page.goto('/e/customer/new')
    const name = `Picker Test Co ${Date.now()}`
    await page.getByTestId('field-name').fill(name)
    const owner = page.getByTestId('field-owner')
    await owner.fill('wendy')
    const option = page.getByTestId(`option-${ids.mgr_west}`)
    await option.waitFor()
    expect(await option.textContent()).toContain('Wendy West')
    expect(await owner.getAttribute('aria-expanded')).toBe('true')
    // Keyboard only: the arrow highlights the suggestion, Enter picks it (and does not submit).
    await owner.press('ArrowDown')
    expect(await owner.getAttribute('aria-activedescendant')).toBeTruthy()
    await owner.press('Enter')
    expect(await owner.getAttribute('aria-expanded')).toBe('false')
    expect(await owner.inputValue()).toBe('Wendy West')
    expect(await owner.getAttribute('data-value')).toBe(ids.mgr_west)
    expect(page.url()).toMatch(/\/new$/)

    await page.getByTestId('save').click()
    await page.waitForURL(/\/e\/customer\/[0-9a-f-]{36}$/)
    const id = page.url().split('/').pop() as string
    const record = await getJson<{ owner: string }>(admin, `/api/data/customer/${id}`)
    expect(record.owner).toBe(ids.mgr_west)

    // A fresh page knows only the id: the name comes from the directory.
    const again: Page = await admin.newPage()
    await again.goto(`/e/customer/${id}`)
    await expect.poll(() => again.getByTestId('field-owner').inputValue()).toBe('Wendy West')
    expect(pageErrors).toEqual([])
  })

  it('shows every user in the org tree, past the first page of 200', async () => {
    const { data } = await getJson<{ data: UserRow[] }>(admin, '/api/admin/users?limit=1000')
    const missing = Math.max(0, 210 - data.length)
    const make = (i: number) =>
      admin.request.post('/api/admin/users', {
        data: {
          username: `zz_member_${i}`,
          password: 'member-password-1',
          displayName: `Zz Member ${String(i).padStart(3, '0')}`,
        },
      })
    for (let i = 0; i < missing; i += 10) {
      const batch = Array.from({ length: Math.min(10, missing - i) }, (_, k) => make(i + k))
      for (const res of await Promise.all(batch)) expect(res.status()).toBe(201)
    }
    const page = await admin.newPage()
    await page.goto('/admin/org')
    // Sorted by name, the last of them comes after the first 200 users.
    const last = page.getByTestId(`org-user-zz_member_${missing - 1}`)
    await last.waitFor()
    const shown = await page.locator('[data-testid^="org-user-"]').count()
    expect(shown).toBeGreaterThanOrEqual(210)
    expect(await page.getByTestId('org-truncated').count()).toBe(0)

    // The users page shows a first page and says how to find the rest.
    await page.goto('/admin/users')
    await page.getByTestId('users-more').waitFor()
    await page.getByTestId('user-search').fill(`Zz Member ${String(missing - 1).padStart(3, '0')}`)
    await page.getByTestId(`user-row-zz_member_${missing - 1}`).waitFor()
    await expect.poll(() => page.getByTestId('users-more').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
