import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { MetadataBundle } from '../../runtime/registry'
import { APP_SCHEMA } from '../../runtime/schema'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

/**
 * A reference must name a record the caller may read: one outside the caller's read scope is
 * answered exactly as an id that does not exist (422), on the record and in child rows, on
 * create and on update, and nothing is written.
 */

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })
const ALL = { read: 'all', create: 'all', update: 'all', delete: 'all' } as const
const OWN = { read: 'own', create: 'own', update: 'own', delete: 'own' } as const

const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

const contact: Entity = {
  id: 'contact',
  label: label('Contact'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
    { name: 'manager', type: 'user', label: label('Manager') },
  ],
}

const deal: Entity = {
  id: 'deal',
  label: label('Deal'),
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'lines', type: 'childTable', entity: 'dealLine', label: label('Lines') },
  ],
}

const dealLine: Entity = {
  id: 'dealLine',
  label: label('Line'),
  childOf: 'deal',
  fields: [
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
    { name: 'qty', type: 'integer', label: label('Quantity') },
  ],
}

/** The clerk reads only their own accounts, and every contact and deal. */
const BUNDLE: MetadataBundle = {
  ...FIXTURE_BUNDLE,
  entities: [...FIXTURE_BUNDLE.entities!, account, contact, deal, dealLine],
  roles: [
    {
      id: 'clerk',
      label: label('Clerk'),
      grants: [
        { entity: 'account', scopes: OWN },
        { entity: 'contact', scopes: ALL },
        { entity: 'deal', scopes: ALL },
      ],
    },
  ],
}

type Rec = Record<string, unknown>

describe.each(testTargets())('references the caller cannot read on $name', (target) => {
  let f: AppFixture
  let foreign: string
  let own: string
  let adminUser: string

  const as = (token: string) => ({
    post: (entity: string, body: Rec) => f.call('POST', `/api/data/${entity}`, { token, body }),
    patch: (entity: string, id: string, body: Rec) =>
      f.call('PATCH', `/api/data/${entity}/${id}`, { token, body }),
  })
  const created = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(201)
    return (await res.json()) as Rec
  }
  const count = async (table: string) => {
    const ident = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(table)}`
    return (await f.db.query<{ n: number }>(sql`select count(*)::int as n from ${ident}`))[0].n
  }
  /** Status and body of a reply, for comparing two answers word for word. */
  const answer = async (res: Response) => ({ status: res.status, body: await res.json() })

  beforeAll(async () => {
    f = await openAppFixture(target, { bundle: BUNDLE })
    const admin = await created(await as(f.adminToken).post('account', { name: 'Not yours' }))
    foreign = admin.id as string
    adminUser = admin.owner as string
    own = (await created(await as(f.clerkToken).post('account', { name: 'Yours' }))).id as string
  }, 60_000)
  afterAll(() => f?.close())

  it('refuses a reference to an unreadable record exactly as one to a missing id', async () => {
    const clerk = as(f.clerkToken)
    const before = await count('contact')
    const unreadable = await answer(await clerk.post('contact', { name: 'C', account: foreign }))
    const missing = await answer(await clerk.post('contact', { name: 'C', account: randomUUID() }))
    expect(unreadable.status).toBe(422)
    expect(unreadable).toEqual(missing)
    expect(unreadable.body).toMatchObject({
      error: { details: [{ path: 'account', message: 'refers to a record that does not exist' }] },
    })
    expect(await count('contact')).toBe(before)
    await created(await clerk.post('contact', { name: 'Mine', account: own }))
  })

  it('refuses an update that points a reference at an unreadable record, and writes nothing', async () => {
    const clerk = as(f.clerkToken)
    const mine = await created(await clerk.post('contact', { name: 'Movable', account: own }))
    const path = mine.id as string
    const unreadable = await answer(
      await clerk.patch('contact', path, { account: foreign, version: 1 }),
    )
    const missing = await answer(
      await clerk.patch('contact', path, { account: randomUUID(), version: 1 }),
    )
    expect(unreadable.status).toBe(422)
    expect(unreadable).toEqual(missing)
    const now = await f.call('GET', `/api/data/contact/${path}`, { token: f.clerkToken })
    expect(await now.json()).toMatchObject({ account: own, version: 1 })
  })

  it('lets a caller edit other fields of a record whose unchanged reference they cannot read', async () => {
    const theirs = await created(
      await as(f.adminToken).post('contact', { name: 'Admin contact', account: foreign }),
    )
    const res = await as(f.clerkToken).patch('contact', theirs.id as string, {
      name: 'Renamed',
      account: foreign,
      version: 1,
    })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(await res.json()).toMatchObject({ name: 'Renamed', account: foreign, version: 2 })
  })

  it('checks references in child rows and names the row', async () => {
    const clerk = as(f.clerkToken)
    const before = [await count('deal'), await count('deal_line')]
    const lines = (id: string) => [
      { account: own, qty: 1 },
      { account: id, qty: 2 },
    ]
    const unreadable = await answer(await clerk.post('deal', { title: 'D', lines: lines(foreign) }))
    const missing = await answer(
      await clerk.post('deal', { title: 'D', lines: lines(randomUUID()) }),
    )
    expect(unreadable.status).toBe(422)
    expect(unreadable).toEqual(missing)
    expect(unreadable.body).toMatchObject({ error: { details: [{ path: 'lines[1].account' }] } })
    expect([await count('deal'), await count('deal_line')]).toEqual(before)

    const deal = await created(await clerk.post('deal', { title: 'Mine', lines: lines(own) }))
    const changed = await clerk.patch('deal', deal.id as string, {
      lines: [...lines(own), { account: foreign, qty: 3 }],
      version: 1,
    })
    expect(changed.status).toBe(422)
    expect(await changed.json()).toMatchObject({
      error: { details: [{ path: 'lines[2].account' }] },
    })
  })

  it('keeps the plain existence check for administrators and leaves user fields alone', async () => {
    const admin = as(f.adminToken)
    await created(await admin.post('contact', { name: 'Any', account: own }))
    const missing = await admin.post('contact', { name: 'Any', account: randomUUID() })
    expect(missing.status).toBe(422)
    await created(await as(f.clerkToken).post('contact', { name: 'U', manager: adminUser }))
  })
})
