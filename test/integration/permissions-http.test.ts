import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'

const OWN = { read: 'own', create: 'own', update: 'own', delete: 'own' } as const

/** The fixture bundle with the clerk limited to their own customers, the email hidden. */
const bundle = {
  ...FIXTURE_BUNDLE,
  roles: [
    {
      id: 'clerk',
      label: { en: 'Clerk' },
      grants: [{ entity: 'customer', scopes: OWN, fields: { email: 'none' as const } }],
    },
  ],
}

describe.each(testTargets())('permissions through the HTTP API on $name', (target) => {
  let f: AppFixture
  let theirs: string

  beforeAll(async () => {
    f = await openAppFixture(target, { bundle })
    const res = await f.call('POST', '/api/data/customer', {
      token: f.adminToken,
      body: { name: 'Admin Co', email: 'a@example.com' },
    })
    theirs = ((await res.json()) as { id: string }).id
  })
  afterAll(async () => f?.close())

  it('shows a clerk only their own customers, without the hidden field', async () => {
    const created = await f.call('POST', '/api/data/customer', {
      token: f.clerkToken,
      body: { name: 'Clerk Co' },
    })
    expect(created.status).toBe(201)
    const list = await f.call('GET', '/api/data/customer?count=true', { token: f.clerkToken })
    const body = (await list.json()) as { data: Record<string, unknown>[]; total: number }
    expect(body.data.map((r) => r.name)).toEqual(['Clerk Co'])
    expect(body.total).toBe(1)
    expect(body.data[0]).not.toHaveProperty('email')
  })

  it('answers 404 for a record outside the read scope and 403 for an entity without a grant', async () => {
    const res = await f.call('GET', `/api/data/customer/${theirs}`, { token: f.clerkToken })
    expect(res.status).toBe(404)
    const quotes = await f.call('GET', '/api/data/quote', { token: f.clerkToken })
    expect(quotes.status).toBe(403)
  })

  it('refuses with 403 naming the field a filter, a sort or a write on a hidden field', async () => {
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'email' }, 'a@example.com'] }))
    const res = await f.call('GET', `/api/data/customer?filter=${filter}`, { token: f.clerkToken })
    expect(res.status).toBe(403)
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } }
    expect(body.error.details).toEqual([
      { path: 'filter', message: expect.stringContaining("'email'") },
    ])
    const sort = await f.call('GET', '/api/data/customer?sort=email', { token: f.clerkToken })
    expect(sort.status).toBe(403)
    const write = await f.call('POST', '/api/data/customer', {
      token: f.clerkToken,
      body: { name: 'X', email: 'x@example.com' },
    })
    expect(write.status).toBe(403)
    expect(
      ((await write.json()) as { error: { details: { path: string }[] } }).error.details[0].path,
    ).toBe('email')
  })
})
