import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] }
}

const label = (en: string) => ({ en })

describe.each(testTargets())('API metadata endpoints on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const get = async (path: string, token = f.clerkToken) => {
    const res = await f.call('GET', path, { token })
    expect(res.status, path).toBe(200)
    return (await res.json()) as { data: Record<string, unknown>[] } & Record<string, unknown>
  }

  it('lists entities with their module and a summary of their fields', async () => {
    const { data } = await get('/api/meta/entities')
    expect(data.map((e) => e.id).sort()).toEqual(['customer', 'quote', 'quoteLine'])
    const customer = data.find((e) => e.id === 'customer')!
    expect(customer).toMatchObject({ label: { en: 'Customer' }, module: 'sales' })
    expect(customer.fields).toContainEqual({
      name: 'name',
      type: 'text',
      label: expect.any(Object),
      required: true,
    })
  })

  it('answers one entity in full and 404 naming the id for an unknown one', async () => {
    const entity = (await get('/api/meta/entities/quote')) as unknown as {
      fields: { name: string }[]
    }
    expect(entity.fields.map((x) => x.name)).toEqual(['title', 'customer', 'tags', 'lines'])
    const res = await f.call('GET', '/api/meta/entities/nothing', { token: f.clerkToken })
    expect(res.status).toBe(404)
    expect(((await res.json()) as ErrorBody).error.details[0].path).toBe('id')
  })

  it('lists forms and views, filtered by entity', async () => {
    expect((await get('/api/meta/forms')).data).toEqual([
      expect.objectContaining({ id: 'customer', entity: 'customer' }),
    ])
    expect((await get('/api/meta/views?entity=customer')).data).toEqual([
      expect.objectContaining({ id: 'customer-list', type: 'list' }),
    ])
    expect((await get('/api/meta/views?entity=quote')).data).toEqual([])
    expect(await get('/api/meta/forms/customer')).toMatchObject({
      id: 'customer',
      tabs: expect.any(Array),
    })
  })

  it('gives the sidebar its modules with entities in navigation order, without child entities', async () => {
    const nav = await get('/api/meta/packages')
    expect(nav.data).toEqual([
      expect.objectContaining({
        id: 'sales',
        label: expect.any(Object),
        entities: ['quote', 'customer'],
      }),
    ])
    expect(nav.unassigned).toEqual([])
  })

  it('answers 404 naming the kind for an unknown kind', async () => {
    const res = await f.call('GET', '/api/meta/widgets/x', { token: f.clerkToken })
    expect(res.status).toBe(404)
    expect(((await res.json()) as ErrorBody).error.details[0].path).toBe('kind')
  })

  it('lets only administrators save drafts, plan and apply', async () => {
    const def = {
      id: 'note',
      label: label('Note'),
      fields: [{ name: 'text', type: 'text', label: label('Text') }],
    }
    const put = await f.call('PUT', '/api/meta/entities/note', { token: f.clerkToken, body: def })
    expect(put.status).toBe(403)
    expect((await f.call('POST', '/api/meta/plan', { token: f.clerkToken })).status).toBe(403)
    expect((await f.call('POST', '/api/meta/apply', { token: f.clerkToken })).status).toBe(403)
  })

  it('refuses a draft whose id differs from the path', async () => {
    const def = {
      id: 'other',
      label: label('Note'),
      fields: [{ name: 'text', type: 'text', label: label('Text') }],
    }
    const res = await f.call('PUT', '/api/meta/entities/note', { token: f.adminToken, body: def })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('invalid_definition')
    expect(body.error.details[0].path).toBe('id')
  })

  it('refuses an invalid draft naming every bad part', async () => {
    const def = {
      id: 'note',
      label: label('Note'),
      fields: [{ name: 'text', type: 'nope', label: label('Text') }],
    }
    const res = await f.call('PUT', '/api/meta/entities/note', { token: f.adminToken, body: def })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('invalid_definition')
    expect(body.error.details.map((d) => d.path).join(' ')).toContain('fields[0].type')
  })

  it('saves a draft, plans it and applies it, after which the new entity is live', async () => {
    const def = {
      id: 'note',
      module: 'sales',
      label: label('Note'),
      fields: [{ name: 'text', type: 'text', label: label('Text') }],
    }
    const put = await f.call('PUT', '/api/meta/entities/note', { token: f.adminToken, body: def })
    expect(put.status).toBe(200)
    const plan = await f.call('POST', '/api/meta/plan', { token: f.adminToken })
    expect(plan.status, await plan.clone().text()).toBe(200)
    const planned = (await plan.json()) as { steps: { entity: string }[]; destructive: boolean }
    expect(planned.destructive).toBe(false)
    expect(planned.steps.some((s) => s.entity === 'note')).toBe(true)
    const apply = await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
    expect(apply.status).toBe(200)
    const applied = (await apply.json()) as { version: number; plan: { steps: unknown[] } }
    expect(applied.version).toBeGreaterThan(1)
    const nav = await get('/api/meta/packages')
    expect((nav.data[0] as { entities: string[] }).entities).toContain('note')
    expect((await get('/api/meta/entities/note')).id).toBe('note')
  })

  it('edits a role as a draft and applies it, after which the new rights hold', async () => {
    const roles = await get('/api/meta/roles')
    const clerk = roles.data.find((r) => r.id === 'clerk') as { entities: string[] }
    expect(clerk.entities).toContain('customer')
    const role = (await get('/api/meta/roles/clerk')) as unknown as Record<string, unknown> & {
      grants: { entity: string; scopes: Record<string, string> }[]
    }
    const { version: _v, ...draft } = role
    const bad = await f.call('PUT', '/api/meta/roles/clerk', {
      token: f.adminToken,
      body: { ...draft, grants: [{ entity: 'customer', scopes: { read: 'everywhere' } }] },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('grants[0].scopes.read')
    const readOnly = role.grants.map((g) =>
      g.entity === 'customer' ? { ...g, scopes: { read: 'all' } } : g,
    )
    const put = await f.call('PUT', '/api/meta/roles/clerk', {
      token: f.adminToken,
      body: { ...draft, grants: readOnly },
    })
    expect(put.status, await put.clone().text()).toBe(200)
    const refused = await f.call('PUT', '/api/meta/roles/clerk', {
      token: f.clerkToken,
      body: draft,
    })
    expect(refused.status).toBe(403)
    expect(
      (await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })).status,
    ).toBe(200)
    const create = await f.call('POST', '/api/data/customer', {
      token: f.clerkToken,
      body: { name: 'Not allowed any more' },
    })
    expect(create.status).toBe(403)
  })

  it('refuses a non-boolean confirmDestructive naming it', async () => {
    const res = await f.call('POST', '/api/meta/apply', {
      token: f.adminToken,
      body: { confirmDestructive: 'yes' },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as ErrorBody).error.details[0].path).toBe('confirmDestructive')
  })
  it('refuses names that clash in the database, naming the field, and applies nothing', async () => {
    const def = (second: string) => ({
      id: 'ledger',
      module: 'sales',
      label: label('Ledger'),
      fields: [
        { name: 'accountId', type: 'text', label: label('Account') },
        { name: second, type: 'text', label: label('Second') },
      ],
    })
    // accountID and accountId are both the column account_id.
    const put = await f.call('PUT', '/api/meta/entities/ledger', {
      token: f.adminToken,
      body: def('accountID'),
    })
    expect([200, 400]).toContain(put.status)
    for (const path of ['/api/meta/plan', '/api/meta/apply']) {
      const res = await f.call('POST', path, { token: f.adminToken, body: {} })
      expect(res.status, path).toBe(400)
      const body = (await res.json()) as ErrorBody
      expect(body.error.code).toBe('invalid_definition')
      expect(body.error.details).toContainEqual({
        path: 'entities[ledger].fields[1].name',
        message: "would be stored in column 'account_id', which field 'accountId' already uses",
      })
    }
    const missing = await f.call('GET', '/api/meta/entities/ledger', { token: f.adminToken })
    expect(missing.status).toBe(404)
    // Mended, the same draft applies.
    await f.call('PUT', '/api/meta/entities/ledger', { token: f.adminToken, body: def('branch') })
    const apply = await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
    expect(apply.status, await apply.clone().text()).toBe(200)
    expect((await get('/api/meta/entities/ledger')).id).toBe('ledger')
  })
})
