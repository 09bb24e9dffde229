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

const MISSING = '00000000-0000-4000-8000-000000000001'
const TRANSFER = '/api/data/customer/bulk/transfer'

describe.each(testTargets())('Transferring ownership on $name', (target) => {
  let f: SharingFixture
  beforeAll(async () => {
    f = await openSharingFixture(target, movableClock('2026-03-01T09:00:00.000Z'))
  })
  afterAll(() => f?.close())

  const row = async (entity: string, id: string) =>
    (
      await f.db.query<{ owner: string; version: number }>(
        sql`select owner::text as owner, version from ${sql.identifier('app')}.${sql.identifier(entity)} where id = ${id}::uuid`,
      )
    )[0]
  const audits = async (id: string) =>
    f.db.query<{ action: string; changes: unknown; version: number }>(
      sql`select action, changes, version from audit_log where record_id = ${id}::uuid and action = 'updated'`,
    )
  const events = async (id: string) =>
    f.db.query<{ event: string; payload: unknown }>(
      sql`select event, payload from outbox where record_id = ${id}::uuid and event = 'updated'`,
    )
  const asJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)

  it('moves records, keeps the old owner as a read-only collaborator and moves the related records', async () => {
    const c1 = await f.create('customer', { name: 'Move One', owner: f.ids.rep1 })
    const c2 = await f.create('customer', { name: 'Move Two', owner: f.ids.rep1 })
    const mine = await f.create('contact', { name: 'Ann', customer: c1, owner: f.ids.rep1 })
    const alsoMine = await f.create('contact', { name: 'Bob', customer: c2, owner: f.ids.rep1 })
    const foreign = await f.create('contact', { name: 'Cid', customer: c1, owner: f.ids.repW })
    const res = await read(
      await f.as('admin', 'POST', TRANSFER, {
        ids: [c1, c2],
        toUserId: f.ids.rep2,
        keepAsCollaborator: true,
        moveRelated: true,
      }),
    )
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({ transferred: 2, related: { contact: 2 } })
    expect(await row('customer', c1)).toEqual({ owner: f.ids.rep2, version: 2 })
    expect(await row('contact', mine)).toEqual({ owner: f.ids.rep2, version: 2 })
    expect(await row('contact', alsoMine)).toEqual({ owner: f.ids.rep2, version: 2 })
    expect(await row('contact', foreign)).toEqual({ owner: f.ids.repW, version: 1 })

    const [audit] = await audits(c1)
    expect(audit.version).toBe(2)
    expect(asJson(audit.changes)).toEqual({ owner: { before: f.ids.rep1, after: f.ids.rep2 } })
    const [event] = await events(mine)
    expect(asJson(event.payload)).toMatchObject({
      id: mine,
      version: 2,
      changes: { owner: { before: f.ids.rep1, after: f.ids.rep2 } },
    })

    expect((await f.as('rep1', 'GET', `/api/data/customer/${c1}`)).status).toBe(200)
    const write = await f.as('rep1', 'PATCH', `/api/data/customer/${c1}`, {
      employees: 3,
      version: 2,
    })
    expect(write.status).toBe(403)
    const shares = await read(await f.as('rep2', 'GET', `/api/data/customer/${c1}/shares`))
    expect(shares.body.data).toMatchObject([{ userId: f.ids.rep1, access: 'read' }])
    expect((await f.as('rep2', 'GET', `/api/data/contact/${mine}`)).status).toBe(200)
  })

  it('leaves the old owner nothing without the collaborator option, and related records in place', async () => {
    const c = await f.create('customer', { name: 'Clean Move', owner: f.ids.rep1 })
    const person = await f.create('contact', { name: 'Dee', customer: c, owner: f.ids.rep1 })
    const res = await read(
      await f.as('admin', 'POST', TRANSFER, { ids: [c], toUserId: f.ids.repW }),
    )
    expect(res.body).toEqual({ transferred: 1, related: {} })
    expect((await f.as('rep1', 'GET', `/api/data/customer/${c}`)).status).toBe(404)
    expect(await row('contact', person)).toEqual({ owner: f.ids.rep1, version: 1 })
    expect((await f.as('repW', 'GET', `/api/data/contact/${person}`)).status).toBe(200)
  })

  it('lets a manager transfer the records of their reports', async () => {
    const c = await f.create('customer', { name: 'Team Move', owner: f.ids.rep1 })
    const res = await read(await f.as('mgr', 'POST', TRANSFER, { ids: [c], toUserId: f.ids.rep2 }))
    expect(res.status, res.text).toBe(200)
    expect(res.body.transferred).toBe(1)
    expect(await row('customer', c)).toMatchObject({ owner: f.ids.rep2 })
  })

  it('changes nothing when one record may not be transferred, naming it', async () => {
    const own = await f.create('customer', { name: 'Stay A', owner: f.ids.rep1 })
    const shared = await f.create('customer', { name: 'Stay B', owner: f.ids.rep2 })
    const hidden = await f.create('customer', { name: 'Stay C', owner: f.ids.repW })
    await f.as('rep2', 'POST', `/api/data/customer/${shared}/shares`, {
      userId: f.ids.rep1,
      access: 'write',
    })
    const refused = await read(
      await f.as('rep1', 'POST', TRANSFER, {
        ids: [own, shared],
        toUserId: f.ids.repW,
        moveRelated: true,
      }),
    )
    expect(refused.status, refused.text).toBe(403)
    expect(errorPaths(refused.body)).toEqual(['ids[1]'])
    const unseen = await read(
      await f.as('rep1', 'POST', TRANSFER, { ids: [own, hidden], toUserId: f.ids.repW }),
    )
    expect(unseen.status).toBe(404)
    expect(errorPaths(unseen.body)).toEqual(['ids[1]'])
    expect(await row('customer', own)).toEqual({ owner: f.ids.rep1, version: 1 })
    expect(await row('customer', shared)).toEqual({ owner: f.ids.rep2, version: 1 })
    expect(await audits(own)).toEqual([])
    expect(await events(own)).toEqual([])
  })

  it('refuses a caller with no assign right on the entity', async () => {
    const c = await f.create('customer', { name: 'Viewer Own', owner: f.ids.viewer })
    const res = await read(
      await f.as('viewer', 'POST', TRANSFER, { ids: [c], toUserId: f.ids.rep1 }),
    )
    expect(res.status).toBe(403)
    expect(await row('customer', c)).toMatchObject({ owner: f.ids.viewer, version: 1 })
  })

  it('does not count records the new owner already has', async () => {
    const c = await f.create('customer', { name: 'Already', owner: f.ids.rep2 })
    const res = await read(
      await f.as('admin', 'POST', TRANSFER, { ids: [c], toUserId: f.ids.rep2 }),
    )
    expect(res.body).toEqual({ transferred: 0, related: {} })
    expect(await row('customer', c)).toEqual({ owner: f.ids.rep2, version: 1 })
  })

  describe('refuses bad input naming the field', () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['no ids', { toUserId: 'USER' }, 422, 'ids'],
      ['ids that are not a list', { ids: 'ID', toUserId: 'USER' }, 422, 'ids'],
      ['a malformed id', { ids: ['nope'], toUserId: 'USER' }, 422, 'ids[0]'],
      ['no new owner', { ids: ['ID'] }, 422, 'toUserId'],
      ['an unknown new owner', { ids: ['ID'], toUserId: MISSING }, 422, 'toUserId'],
      [
        'a non-boolean keepAsCollaborator',
        { ids: ['ID'], toUserId: 'USER', keepAsCollaborator: 'yes' },
        422,
        'keepAsCollaborator',
      ],
      [
        'a non-boolean moveRelated',
        { ids: ['ID'], toUserId: 'USER', moveRelated: 1 },
        422,
        'moveRelated',
      ],
      ['an unknown key', { ids: ['ID'], toUserId: 'USER', owner: 'x' }, 422, 'owner'],
      ['a missing record', { ids: [MISSING], toUserId: 'USER' }, 404, 'ids[0]'],
    ]
    it.each(cases)('refuses %s', async (_name, body, status, path) => {
      const id = await f.create('customer', { name: 'Bad Input', owner: f.ids.rep1 })
      const filled = JSON.parse(
        JSON.stringify(body).replaceAll('"USER"', `"${f.ids.rep2}"`).replaceAll('"ID"', `"${id}"`),
      )
      const res = await read(await f.as('admin', 'POST', TRANSFER, filled))
      expect(res.status, res.text).toBe(status)
      expect(errorPaths(res.body)).toContain(path)
      expect(await row('customer', id)).toEqual({ owner: f.ids.rep1, version: 1 })
    })

    it('answers 404 for an unknown entity and 400 for a body that is not an object', async () => {
      const body = { ids: [MISSING], toUserId: f.ids.rep2 }
      const res = await read(await f.as('admin', 'POST', '/api/data/nope/bulk/transfer', body))
      expect(res.status).toBe(404)
      expect(errorPaths(res.body)).toContain('entity')
      expect((await f.as('admin', 'POST', TRANSFER, '[1]')).status).toBe(400)
    })
  })
})
