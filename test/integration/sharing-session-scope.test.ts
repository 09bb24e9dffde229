import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CurrentUser } from '../../runtime/context'
import { createSessionResolver } from '../../runtime/identity'
import { scopePredicate } from '../../runtime/permissions'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { testTargets } from '../support/databases'
import { movableClock, openSharingFixture, read, type SharingFixture } from './sharing-fixture'

/**
 * A cached session knows the entities shared with its user, so scopes leave the shares branch out
 * for everyone else (an owner's list stays an ordered index read). These tests pin down that a
 * share still reaches its recipient at once, in this process and in another one.
 */

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 20))
  }
  return false
}

describe.each(testTargets())('shares and cached sessions on $name', (target) => {
  const clock = movableClock('2026-03-01T09:00:00.000Z')
  let f: SharingFixture
  /** A second process: its own app and session cache (listening for notices), one database. */
  let other: ReturnType<typeof buildApp>
  const sessions = () => createSessionResolver(f.db)
  let otherSessions: ReturnType<typeof sessions>
  beforeAll(async () => {
    f = await openSharingFixture(target, clock)
    otherSessions = sessions()
    await otherSessions.start()
    other = buildApp({
      db: f.db,
      clock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(f.db),
      sessions: otherSessions,
    })
  })
  afterAll(async () => {
    await otherSessions?.stop()
    await f?.close()
  })

  const onOther = (who: keyof SharingFixture['tokens'], path: string) =>
    other.request(path, { headers: { authorization: `Bearer ${f.tokens[who]}` } })
  const statusOnOther = async (who: keyof SharingFixture['tokens'], path: string) =>
    (await onOther(who, path)).status

  it('leaves the shares branch out of the scope of a caller nothing is shared with', async () => {
    const meta = await createMetadataCache(f.db).current()
    const user = (sharedEntities?: string[]): CurrentUser => ({
      id: f.ids.rep1,
      username: 'rep1',
      displayName: 'rep1',
      locale: 'en',
      isAdmin: false,
      departmentId: f.departments.east,
      roles: ['rep'],
      ...(sharedEntities ? { sharedEntities } : {}),
    })
    const text = (u: CurrentUser, entity: string) => {
      const predicate = scopePredicate({ user: u, meta, clock }, entity, 'read', { alias: 't' })
      return new PgDialect().sqlToQuery(predicate ?? sql`true`).sql
    }
    expect(text(user([]), 'customer')).not.toContain('record_shares')
    expect(text(user(['contact']), 'customer')).not.toContain('record_shares')
    expect(text(user(['customer']), 'customer')).toContain('record_shares')
    // Unknown (a caller not loaded through a session): the branch stays.
    expect(text(user(), 'customer')).toContain('record_shares')
    // A contact follows its customer: a share of the customer reaches the contact through it.
    expect(text(user(['customer']), 'contact')).toContain('record_shares')
    expect(text(user([]), 'contact')).not.toContain('record_shares')
  })

  it('lets a recipient whose session is cached read a new share here at once and elsewhere soon', async () => {
    const id = await f.create('customer', { name: 'Cached Co', owner: f.ids.rep1 })
    const path = `/api/data/customer/${id}`
    expect((await f.as('rep2', 'GET', path)).status).toBe(404)
    expect(await statusOnOther('rep2', path)).toBe(404)
    const made = await f.as('rep1', 'POST', `${path}/shares`, {
      userId: f.ids.rep2,
      access: 'read',
    })
    expect(made.status).toBe(201)
    expect((await f.as('rep2', 'GET', path)).status).toBe(200)
    expect(await eventually(async () => (await statusOnOther('rep2', path)) === 200)).toBe(true)
    // And the shared record is in the recipient's list, next to their own.
    const list = await read(await f.as('rep2', 'GET', '/api/data/customer?limit=100'))
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(id)
  })

  it('reaches every cached member of a department a record is shared with', async () => {
    const id = await f.create('customer', { name: 'Dept Co', owner: f.ids.rep1 })
    const path = `/api/data/customer/${id}`
    expect(await statusOnOther('repW', path)).toBe(404)
    expect(await statusOnOther('viewer', path)).toBe(404)
    const made = await f.as('rep1', 'POST', `${path}/shares`, {
      departmentId: f.departments.west,
      access: 'read',
    })
    expect(made.status).toBe(201)
    expect((await f.as('repW', 'GET', path)).status).toBe(200)
    expect(await eventually(async () => (await statusOnOther('repW', path)) === 200)).toBe(true)
    expect(await eventually(async () => (await statusOnOther('viewer', path)) === 200)).toBe(true)
  })

  it('lets an old owner kept as collaborator read the record right after a transfer', async () => {
    const id = await f.create('customer', { name: 'Handover Co', owner: f.ids.rep1 })
    const path = `/api/data/customer/${id}`
    expect((await f.as('rep1', 'GET', path)).status).toBe(200)
    expect(await statusOnOther('rep1', path)).toBe(200)
    const moved = await read(
      await f.as('mgr', 'POST', '/api/data/customer/bulk/transfer', {
        ids: [id],
        toUserId: f.ids.rep2,
        keepAsCollaborator: true,
      }),
    )
    expect(moved.status, moved.text).toBe(200)
    expect((await f.as('rep1', 'GET', path)).status).toBe(200)
    expect(await eventually(async () => (await statusOnOther('rep1', path)) === 200)).toBe(true)
    const write = await f.as('rep1', 'PATCH', path, { notes: 'mine?', version: 2 })
    expect(write.status).toBe(403)
  })

  it('keeps one share per recipient when writers race', async () => {
    const id = await f.create('customer', { name: 'Race Co', owner: f.ids.rep1 })
    const path = `/api/data/customer/${id}/shares`
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        f.as('rep1', 'POST', path, { userId: f.ids.rep2, access: i % 2 ? 'write' : 'read' }),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201))
    // The share keeps its creator: only the access and the expiry change.
    const rows = await f.db.query<{ n: number }>(sql`select count(*)::int as n from record_shares
      where record_id = ${id}::uuid and user_id = ${f.ids.rep2}::uuid`)
    expect(rows[0].n).toBe(1)
    const listed = await read(await f.as('rep1', 'GET', path))
    expect(listed.body.data).toHaveLength(1)
  })

  it('lets bulk shares over the same records in opposite orders all succeed', async () => {
    const ids: string[] = []
    for (let i = 0; i < 6; i++)
      ids.push(await f.create('customer', { name: `Bulk ${i}`, owner: f.ids.rep1 }))
    const share = (order: string[], access: string) =>
      f.as('rep1', 'POST', '/api/data/customer/bulk/share', {
        ids: order,
        userId: f.ids.repW,
        access,
      })
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        share(i % 2 ? [...ids].reverse() : ids, i % 3 ? 'read' : 'write'),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200))
    const rows = await f.db.query<{ n: number }>(sql`select count(*)::int as n from record_shares
      where user_id = ${f.ids.repW}::uuid and record_id::text in ${ids}`)
    expect(rows[0].n).toBe(ids.length)
  })

  it('finds a record shared with the caller in search, and not before', async () => {
    const id = await f.create('customer', { name: 'Searchable Zephyr', owner: f.ids.rep1 })
    const search = async () => {
      const res = await read(await f.as('mgrW', 'GET', '/api/search?q=zephyr&entities=customer'))
      expect(res.status, res.text).toBe(200)
      return res.body.data.map((hit: { id: string }) => hit.id)
    }
    expect(await search()).not.toContain(id)
    const made = await f.as('rep1', 'POST', `/api/data/customer/${id}/shares`, {
      userId: f.ids.mgrW,
      access: 'read',
    })
    expect(made.status).toBe(201)
    expect(await search()).toContain(id)
  })
})
