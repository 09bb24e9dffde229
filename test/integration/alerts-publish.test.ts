import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toPackageFiles } from '../../server/cli/package-files'
import { loadPublishedMetadata } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] }
}

const label = (en: string) => ({ en })

const customerCreated = {
  id: 'customer-created',
  label: label('New customer'),
  entity: 'customer',
  trigger: { type: 'created' },
  recipients: [{ type: 'field', field: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 'New customer {{record.name}}', body: 'Say hello.' } },
}

const weekly = {
  id: 'weekly-digest',
  label: label('Weekly digest'),
  trigger: { type: 'schedule', cron: '0 9 * * 1', timeZone: 'Asia/Seoul' },
  recipients: [{ type: 'users', usernames: ['clerk'] }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 'Your week', body: 'Have a good one.' } },
}

describe.each(testTargets())('publishing alerts on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const put = (id: string, body: unknown) =>
    f.call('PUT', `/api/meta/alerts/${id}`, { token: f.adminToken, body })

  it('refuses an alert that breaks its schema, naming the part', async () => {
    const res = await put('bad', { ...customerCreated, id: 'bad', channels: [] })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.details.map((d) => d.path).join(' ')).toContain('channels')
  })

  it('refuses to apply an alert whose references dangle, and applies it once fixed', async () => {
    const broken = { ...customerCreated, recipients: [{ type: 'field', field: 'nobody' }] }
    expect((await put('customer-created', broken)).status).toBe(200)
    const plan = await f.call('POST', '/api/meta/plan', { token: f.adminToken })
    expect(plan.status).toBe(400)
    const issues = ((await plan.json()) as ErrorBody).error.details
    expect(issues.map((d) => d.path)).toContain('alerts[customer-created].recipients[0].field')
    expect((await put('customer-created', customerCreated)).status).toBe(200)
    const apply = await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
    expect(apply.status, await apply.clone().text()).toBe(200)
  })

  it('lists published alerts and answers one in full with its version', async () => {
    const list = await f.call('GET', '/api/meta/alerts', { token: f.clerkToken })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([
      {
        id: 'customer-created',
        label: label('New customer'),
        version: 1,
        entity: 'customer',
        trigger: 'created',
        enabled: true,
        channels: ['inApp'],
      },
    ])
    const one = await f.call('GET', '/api/meta/alerts/customer-created', { token: f.clerkToken })
    expect(await one.json()).toMatchObject({ ...customerCreated, version: 1 })
    const filtered = await f.call('GET', '/api/meta/alerts?entity=quote', { token: f.clerkToken })
    expect(((await filtered.json()) as { data: unknown[] }).data).toEqual([])
  })

  it('gives a published schedule alert one timer at its next run in its zone, moved when its cron changes', async () => {
    expect((await put('weekly-digest', weekly)).status).toBe(200)
    expect(
      (await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })).status,
    ).toBe(200)
    const dueOf = async () => {
      const rows = await f.db.query<{ due_at: string | Date }>(
        sql`select due_at from timers where kind = 'alert' and key = 'schedule:weekly-digest'`,
      )
      return rows.map((r) => new Date(r.due_at))
    }
    const [due] = await dueOf()
    // Monday 09:00 in Seoul is Monday 00:00 UTC.
    expect(due.getUTCDay()).toBe(1)
    expect(due.getUTCHours()).toBe(0)
    expect(due.getTime()).toBeGreaterThan(Date.now())
    const daily = { ...weekly, trigger: { ...weekly.trigger, cron: '30 18 * * *' } }
    expect((await put('weekly-digest', daily)).status).toBe(200)
    await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
    const [moved] = await dueOf()
    expect(moved.getUTCHours()).toBe(9)
    expect(moved.getUTCMinutes()).toBe(30)
    const off = { ...daily, enabled: false }
    expect((await put('weekly-digest', off)).status).toBe(200)
    await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
    expect(await dueOf()).toEqual([])
  })

  it('installs a package that holds alerts and exports them into its alerts folder', async () => {
    const pkg = {
      manifest: {
        id: 'care',
        version: '1.0.0',
        label: label('Care'),
        dependencies: { sales: '^1.0.0' },
      },
      alerts: [{ ...customerCreated, id: 'care-welcome' }],
    }
    const res = await f.call('POST', '/api/meta/packages?apply=true', {
      token: f.adminToken,
      body: pkg,
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const meta = await loadPublishedMetadata(f.db)
    expect(meta.alerts.get('care-welcome')).toMatchObject({ module: 'care', version: 1 })
    const files = toPackageFiles(meta.bundle, (depth) => '../'.repeat(depth) + 'schemas/')
    const file = files.find((x) => x.path === 'care/alerts/care-welcome.json')
    expect(file).toBeDefined()
    const doc = JSON.parse(file!.text) as Record<string, unknown>
    expect(doc.$schema).toBe('../../schemas/alert.schema.json')
    expect(doc.trigger).toEqual({ type: 'created' })
    expect(files.some((x) => x.path === 'local/alerts/customer-created.json')).toBe(true)
  })

  it('refuses a package alert that names an unknown entity, naming the alert', async () => {
    const pkg = {
      manifest: {
        id: 'care',
        version: '1.0.1',
        label: label('Care'),
        dependencies: { sales: '^1.0.0' },
      },
      alerts: [{ ...customerCreated, id: 'care-welcome', entity: 'nothing' }],
    }
    const res = await f.call('POST', '/api/meta/packages?apply=true', {
      token: f.adminToken,
      body: pkg,
    })
    expect(res.status).toBe(400)
    const paths = ((await res.json()) as ErrorBody).error.details.map((d) => d.path)
    expect(paths).toContain('alerts[care-welcome].entity')
  })
})
