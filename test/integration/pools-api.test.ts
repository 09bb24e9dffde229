import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { customer, eastPool, followUp } from './pools-fixture'

const label = (en: string) => ({ en })
const bundle: MetadataBundle = {
  packages: [],
  entities: [customer, followUp],
  forms: [],
  views: [],
  pools: [eastPool({ members: { roles: ['clerk'] }, limits: { held: 5 } })],
  roles: [
    {
      id: 'clerk',
      label: label('Clerk'),
      grants: [{ entity: 'customer', scopes: { read: 'own', update: 'own' } }],
    },
  ],
}

/** What these tests read of a response: a list or an error. */
interface Body {
  data: Record<string, unknown>[]
  error: { details: { path: string }[] }
}

describe.each(testTargets())('pool API on $name', (target) => {
  let f: AppFixture
  let id: string
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Body })
  beforeAll(async () => {
    f = await openAppFixture(target, { bundle })
    const [row] = await f.db.query<{ id: string }>(sql`
      insert into app.customer (id, name, level, region, pool) values (gen_random_uuid(), 'Acme', 'B', 'east', 'east')
      returning id::text as id`)
    id = row.id
  })
  afterAll(() => f?.close())

  it("lists the caller's pools with the held count against the limit", async () => {
    const res = await json(await f.call('GET', '/api/pools', { token: f.clerkToken }))
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual([
      expect.objectContaining({ id: 'east', waiting: 1, held: 0, heldLimit: 5, claimedToday: 0 }),
    ])
  })

  it('lists the waiting records to a member whose own scope does not reach them', async () => {
    const res = await json(await f.call('GET', '/api/pools/east/records', { token: f.clerkToken }))
    expect(res.status).toBe(200)
    expect(res.body.data.map((r) => r.id)).toEqual([id])
    const missing = await f.call('GET', '/api/pools/nowhere/records', { token: f.clerkToken })
    expect(missing.status).toBe(404)
  })

  it('claims once: 200, then 409 naming the record, and 404 for garbage ids', async () => {
    const won = await json(
      await f.call('POST', `/api/pools/east/claim/${id}`, { token: f.clerkToken }),
    )
    expect(won.status).toBe(200)
    const lost = await json(
      await f.call('POST', `/api/pools/east/claim/${id}`, { token: f.adminToken }),
    )
    expect(lost.status).toBe(409)
    expect(lost.body.error.details[0].path).toBe('recordId')
    const garbage = await f.call('POST', '/api/pools/east/claim/not-a-uuid', {
      token: f.clerkToken,
    })
    expect(garbage.status).toBe(404)
    const pools = await json(await f.call('GET', '/api/pools', { token: f.clerkToken }))
    expect(pools.body.data[0]).toMatchObject({ held: 1, waiting: 0, claimedToday: 1 })
  })

  it('returns a record only with a listed reason, naming the field otherwise', async () => {
    const path = `/api/data/customer/${id}/release`
    const bad = await json(
      await f.call('POST', path, { token: f.clerkToken, body: { pool: 'east', reason: 'meh' } }),
    )
    expect(bad.status).toBe(422)
    expect(bad.body.error.details[0].path).toBe('reason')
    const noPool = await json(
      await f.call('POST', path, { token: f.clerkToken, body: { pool: 'west', reason: 'noNeed' } }),
    )
    expect(noPool.body.error.details[0].path).toBe('pool')
    const ok = await f.call('POST', path, {
      token: f.clerkToken,
      body: { pool: 'east', reason: 'noNeed' },
    })
    expect(ok.status).toBe(200)
    const [row] = await f.db.query<{ owner: string | null }>(
      sql`select owner from app.customer where id = ${id}::uuid`,
    )
    expect(row.owner).toBeNull()
  })
})
