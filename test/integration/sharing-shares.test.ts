import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import {
  errorPaths,
  movableClock,
  openSharingFixture,
  read,
  type SharingFixture,
} from './sharing-fixture'

const HOUR = 60 * 60 * 1000
const MISSING = '00000000-0000-4000-8000-000000000001'

describe.each(testTargets())('Sharing records on $name', (target) => {
  const clock = movableClock('2026-03-01T09:00:00.000Z')
  let f: SharingFixture
  let acme: string
  beforeAll(async () => {
    f = await openSharingFixture(target, clock)
    acme = await f.create('customer', { name: 'Acme', owner: f.ids.rep1 })
  })
  afterAll(() => f?.close())

  const shares = (id = acme) => `/api/data/customer/${id}/shares`
  const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString()

  it('lets a read share open the record but not write it, and a write share write it', async () => {
    expect((await f.as('rep2', 'GET', `/api/data/customer/${acme}`)).status).toBe(404)
    const made = await read(
      await f.as('rep1', 'POST', shares(), { userId: f.ids.rep2, access: 'read' }),
    )
    expect(made.status, made.text).toBe(201)
    expect(made.body).toMatchObject({
      userId: f.ids.rep2,
      departmentId: null,
      access: 'read',
      expiresAt: null,
      userName: 'Person rep2',
    })
    expect((await f.as('rep2', 'GET', `/api/data/customer/${acme}`)).status).toBe(200)
    const denied = await f.as('rep2', 'PATCH', `/api/data/customer/${acme}`, {
      employees: 5,
      version: 1,
    })
    expect(denied.status).toBe(403)

    const write = await f.as('rep1', 'POST', shares(), { userId: f.ids.rep2, access: 'write' })
    expect(write.status).toBe(201)
    const list = await read(await f.as('rep1', 'GET', shares()))
    expect(list.body.data).toHaveLength(1)
    expect(list.body.data[0]).toMatchObject({ userId: f.ids.rep2, access: 'write' })
    const patched = await read(
      await f.as('rep2', 'PATCH', `/api/data/customer/${acme}`, { employees: 5, version: 1 }),
    )
    expect(patched.status, patched.text).toBe(200)
    await f.as('rep1', 'DELETE', `${shares()}/${list.body.data[0].id}`)
  })

  it('keeps the fields roles hide hidden from someone who reaches a record only by a share', async () => {
    const id = await f.create('customer', {
      name: 'Secretive',
      email: 'boss@secret.test',
      notes: 'kept',
      owner: f.ids.rep1,
    })
    const url = `/api/data/customer/${id}`
    expect((await f.as('helper', 'GET', url)).status).toBe(404)
    const shared = await f.as('rep1', 'POST', shares(id), { userId: f.ids.helper, access: 'write' })
    expect(shared.status).toBe(201)
    // No role of the helper speaks for customers: a field any role hides stays hidden.
    const got = await read(await f.as('helper', 'GET', url))
    expect(got.status, got.text).toBe(200)
    expect(got.body).toMatchObject({ name: 'Secretive', notes: 'kept' })
    expect(got.body).not.toHaveProperty('email')
    expect(got.text).not.toContain('boss@secret.test')
    // Lists need a read right of one's own: the shared record is opened by its address.
    expect((await f.as('helper', 'GET', '/api/data/customer')).status).toBe(403)
    const history = await read(await f.as('helper', 'GET', `${url}/history`))
    expect(history.status, history.text).toBe(200)
    expect(history.text).not.toContain('boss@secret.test')
    // A write share writes what every role may write; a field some role may only read is not.
    const patched = await f.as('helper', 'PATCH', url, { employees: 7, version: 1 })
    expect(patched.status).toBe(200)
    for (const [name, value] of [
      ['notes', 'changed'],
      ['email', 'x@y.test'],
    ]) {
      const denied = await read(await f.as('helper', 'PATCH', url, { [name]: value, version: 2 }))
      expect(denied.status, name).toBe(403)
      expect(errorPaths(denied.body)).toEqual([name])
    }
    const after = await read(await f.as('admin', 'GET', url))
    expect(after.body).toMatchObject({ email: 'boss@secret.test', notes: 'kept', employees: 7 })
  })

  it('shares with a department: its members read the record', async () => {
    const west = await f.create('customer', { name: 'West Partner', owner: f.ids.rep1 })
    expect((await f.as('repW', 'GET', `/api/data/customer/${west}`)).status).toBe(404)
    const made = await read(
      await f.as('rep1', 'POST', shares(west), {
        departmentId: f.departments.west,
        access: 'read',
      }),
    )
    expect(made.status, made.text).toBe(201)
    expect(made.body).toMatchObject({ departmentName: 'Sales West', userId: null })
    expect((await f.as('repW', 'GET', `/api/data/customer/${west}`)).status).toBe(200)
    expect((await f.as('rep2', 'GET', `/api/data/customer/${west}`)).status).toBe(404)
  })

  it('ends a share when it expires, on the clock', async () => {
    const id = await f.create('customer', { name: 'Timed', owner: f.ids.rep1 })
    const res = await f.as('rep1', 'POST', shares(id), {
      userId: f.ids.repW,
      access: 'read',
      expiresAt: inHours(1),
    })
    expect(res.status).toBe(201)
    clock.advance(HOUR - 1000)
    expect((await f.as('repW', 'GET', `/api/data/customer/${id}`)).status).toBe(200)
    expect((await read(await f.as('rep1', 'GET', shares(id)))).body.data).toHaveLength(1)
    clock.advance(2000)
    expect((await f.as('repW', 'GET', `/api/data/customer/${id}`)).status).toBe(404)
    expect((await read(await f.as('rep1', 'GET', shares(id)))).body.data).toEqual([])
  })

  it('lets only the owner, the managers above the owner and an admin share', async () => {
    const id = await f.create('customer', { name: 'Guarded', owner: f.ids.rep1 })
    await f.as('rep1', 'POST', shares(id), { userId: f.ids.rep2, access: 'read' })
    const reader = await read(
      await f.as('rep2', 'POST', shares(id), { userId: f.ids.repW, access: 'read' }),
    )
    expect(reader.status, reader.text).toBe(403)
    expect(errorPaths(reader.body)).toContain('id')
    expect(
      (await f.as('mgrW', 'POST', shares(id), { userId: f.ids.repW, access: 'read' })).status,
    ).toBe(404)
    expect((await f.as('repW', 'GET', `/api/data/customer/${id}`)).status).toBe(404)
    const manager = await f.as('mgr', 'POST', shares(id), { userId: f.ids.repW, access: 'read' })
    expect(manager.status).toBe(201)
    const admin = await f.as('admin', 'POST', shares(id), { userId: f.ids.viewer, access: 'read' })
    expect(admin.status).toBe(201)
    const list = await read(await f.as('rep1', 'GET', shares(id)))
    expect(list.body.data.map((s: { userId: string }) => s.userId).sort()).toEqual(
      [f.ids.rep2, f.ids.repW, f.ids.viewer].sort(),
    )
  })

  it('ends a share on delete and answers 404 for a share of another record', async () => {
    const id = await f.create('customer', { name: 'Brief', owner: f.ids.rep1 })
    const share = await read(
      await f.as('rep1', 'POST', shares(id), { userId: f.ids.rep2, access: 'read' }),
    )
    const other = await read(await f.as('rep2', 'DELETE', `${shares(acme)}/${share.body.id}`))
    expect(other.status).toBe(404)
    expect((await f.as('rep2', 'DELETE', `${shares(id)}/${share.body.id}`)).status).toBe(403)
    expect((await f.as('rep1', 'DELETE', `${shares(id)}/${share.body.id}`)).status).toBe(204)
    expect((await f.as('rep2', 'GET', `/api/data/customer/${id}`)).status).toBe(404)
    expect((await f.as('rep1', 'DELETE', `${shares(id)}/${share.body.id}`)).status).toBe(404)
  })

  it('hides the share list of a record the caller cannot read', async () => {
    const res = await read(await f.as('repW', 'GET', shares()))
    expect(res.status).toBe(404)
    expect(res.text).not.toContain(f.ids.rep2)
  })

  it('shares in bulk all or nothing', async () => {
    const a = await f.create('customer', { name: 'Bulk A', owner: f.ids.rep1 })
    const b = await f.create('customer', { name: 'Bulk B', owner: f.ids.rep1 })
    const theirs = await f.create('customer', { name: 'Bulk C', owner: f.ids.rep2 })
    const count = async () =>
      (
        await f.db.query<{ n: number }>(
          sql`select count(*)::int as n from record_shares where record_id in (${a}::uuid, ${b}::uuid, ${theirs}::uuid)`,
        )
      )[0].n
    const body = { ids: [a, b, theirs], userId: f.ids.repW, access: 'read' }
    const hidden = await read(await f.as('rep1', 'POST', '/api/data/customer/bulk/share', body))
    expect(hidden.status).toBe(404)
    expect(errorPaths(hidden.body)).toEqual(['ids[2]'])
    expect(await count()).toBe(0)

    await f.as('rep2', 'POST', shares(theirs), { userId: f.ids.rep1, access: 'read' })
    const refused = await read(await f.as('rep1', 'POST', '/api/data/customer/bulk/share', body))
    expect(refused.status).toBe(403)
    expect(errorPaths(refused.body)).toEqual(['ids[2]'])
    expect(await count()).toBe(1)

    const done = await read(
      await f.as('rep1', 'POST', '/api/data/customer/bulk/share', { ...body, ids: [a, b] }),
    )
    expect(done.status, done.text).toBe(200)
    expect(done.body).toEqual({ shared: 2 })
    expect((await f.as('repW', 'GET', `/api/data/customer/${b}`)).status).toBe(200)
  })

  describe('refuses bad input naming the field', () => {
    const cases: [string, string, string, unknown, number, string][] = [
      [
        'both recipients',
        'POST',
        'shares',
        { userId: MISSING, departmentId: MISSING, access: 'read' },
        422,
        'userId',
      ],
      ['no recipient', 'POST', 'shares', { access: 'read' }, 422, 'userId'],
      ['an unknown user', 'POST', 'shares', { userId: MISSING, access: 'read' }, 422, 'userId'],
      ['a malformed user id', 'POST', 'shares', { userId: 'ana', access: 'read' }, 422, 'userId'],
      [
        'an unknown department',
        'POST',
        'shares',
        { departmentId: MISSING, access: 'read' },
        422,
        'departmentId',
      ],
      ['a bad access', 'POST', 'shares', { userId: 'USER', access: 'admin' }, 422, 'access'],
      [
        'a past expiry',
        'POST',
        'shares',
        { userId: 'USER', access: 'read', expiresAt: '2020-01-01T00:00:00Z' },
        422,
        'expiresAt',
      ],
      [
        'a malformed expiry',
        'POST',
        'shares',
        { userId: 'USER', access: 'read', expiresAt: 'tomorrow' },
        422,
        'expiresAt',
      ],
      [
        'an unknown key',
        'POST',
        'shares',
        { userId: 'USER', access: 'read', role: 'x' },
        422,
        'role',
      ],
      ['no body', 'POST', 'shares', undefined, 400, 'body'],
      ['an array body', 'POST', 'shares', [], 400, 'body'],
      ['a bulk share without ids', 'POST', 'bulk', { userId: 'USER', access: 'read' }, 422, 'ids'],
      [
        'a bulk share with an empty id list',
        'POST',
        'bulk',
        { ids: [], userId: 'USER', access: 'read' },
        422,
        'ids',
      ],
      [
        'a bulk share with a bad id',
        'POST',
        'bulk',
        { ids: ['ID', 'x'], userId: 'USER', access: 'read' },
        422,
        'ids[1]',
      ],
      [
        'a bulk share with a repeated id',
        'POST',
        'bulk',
        { ids: ['ID', 'ID'], userId: 'USER', access: 'read' },
        422,
        'ids[1]',
      ],
      [
        'a bulk share with a bad access',
        'POST',
        'bulk',
        { ids: ['ID'], userId: 'USER' },
        422,
        'access',
      ],
    ]
    it.each(cases)('refuses %s', async (_name, method, kind, body, status, path) => {
      const fill = (value: unknown): unknown =>
        JSON.parse(
          JSON.stringify(value ?? null)
            .replaceAll('"USER"', `"${f.ids.rep2}"`)
            .replaceAll('"ID"', `"${acme}"`),
        )
      const url = kind === 'bulk' ? '/api/data/customer/bulk/share' : shares()
      const res = await read(
        await f.as('rep1', method, url, body === undefined ? undefined : fill(body)),
      )
      expect(res.status, res.text).toBe(status)
      expect(errorPaths(res.body)).toContain(path)
    })

    it('answers 404 for an unknown entity, a malformed id and a missing record', async () => {
      const body = { userId: f.ids.rep2, access: 'read' }
      const entity = await read(await f.as('rep1', 'POST', `/api/data/nope/${acme}/shares`, body))
      expect(entity.status).toBe(404)
      expect(errorPaths(entity.body)).toContain('entity')
      expect((await f.as('rep1', 'GET', '/api/data/nope/x/shares')).status).toBe(404)
      expect((await f.as('rep1', 'GET', '/api/data/customer/not-an-id/shares')).status).toBe(404)
      expect((await f.as('rep1', 'POST', shares(MISSING), body)).status).toBe(404)
      expect((await f.as('rep1', 'DELETE', `${shares()}/not-a-share`)).status).toBe(404)
      expect(
        (await f.as('rep1', 'POST', '/api/data/nope/bulk/share', { ids: [acme], ...body })).status,
      ).toBe(404)
      expect((await f.as('rep1', 'GET', `${shares()}?x=1`)).status).toBe(400)
    })
  })
})
