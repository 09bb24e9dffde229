import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ValidationError } from '../../runtime/errors'
import { neutralTitle, notify, type NotifyInput } from '../../runtime/notifications'
import { testTargets } from '../support/databases'
import {
  errorPaths,
  movableClock,
  openSharingFixture,
  read,
  type Json,
  type Person,
  type SharingFixture,
} from './sharing-fixture'

const LIST = '/api/notifications'
const MISSING = '00000000-0000-4000-8000-00000000abcd'

describe.each(testTargets())('in-app notifications on $name', (target) => {
  let f: SharingFixture
  let keys = 0
  beforeAll(async () => {
    f = await openSharingFixture(target, movableClock('2026-03-01T09:00:00.000Z'))
  })
  afterAll(() => f?.close())

  /** Stores a notification for `who` under a fresh key (or the one given). */
  const send = (who: Person, extra: Partial<NotifyInput> = {}) =>
    notify(f.db, { userId: f.ids[who], title: `Note ${++keys}`, key: `k${keys}`, ...extra })
  const list = async (who: Person | 'admin', query = '') => {
    const res = await read(await f.as(who, 'GET', `${LIST}${query}`))
    expect(res.status, res.text).toBe(200)
    return res.body as { data: Json[]; unreadCount: number; next: string | null }
  }
  const stored = async (key: string) =>
    (
      await f.db.query<{ n: number }>(sql`select count(*)::int as n from notifications
      where key = ${key}`)
    )[0].n

  it('stores one row for a key delivered twice, and says the second time changed nothing', async () => {
    const first = await send('rep1', { key: 'reminder:1', title: 'Call Acme back' })
    const again = await send('rep1', { key: 'reminder:1', title: 'Call Acme back' })
    expect(first.created).toBe(true)
    expect(again).toEqual({ id: first.id, created: false })
    expect(await stored('reminder:1')).toBe(1)
    const page = await list('rep1')
    expect(page.data.filter((n: Json) => n.title === 'Call Acme back')).toHaveLength(1)
  })

  it('lists newest first and pages by a cursor without gaps or repeats', async () => {
    const base = Date.parse('2026-02-01T08:00:00.000Z')
    // Two share a millisecond and differ below it: the cursor keeps PostgreSQL's microseconds.
    const made = []
    for (const [i, offset] of [0, 60_000, 120_000, 120_000].entries())
      made.push(await send('rep2', { title: `Page ${i}`, createdAt: new Date(base + offset) }))
    await f.db.query(sql`update notifications set created_at = created_at + interval '1 microsecond'
      where id = ${made[3].id}::uuid`)
    const first = await list('rep2', '?limit=3')
    expect(first.data.map((n: Json) => n.title)).toEqual(['Page 3', 'Page 2', 'Page 1'])
    expect(first.next).toEqual(expect.any(String))
    const second = await list('rep2', `?limit=3&before=${encodeURIComponent(first.next!)}`)
    expect(second.data.map((n: Json) => n.title)).toEqual(['Page 0'])
    expect(second.next).toBeNull()
    expect(first.unreadCount).toBe(4)
    expect(first.data[0]).toMatchObject({ readAt: null, withheld: false, entity: null })
  })

  it('filters the unread ones and counts them all, not only the page', async () => {
    const a = await send('mgrW', { title: 'Unread A' })
    const b = await send('mgrW', { title: 'Read B' })
    await send('mgrW', { title: 'Unread C' })
    const marked = await read(await f.as('mgrW', 'POST', `${LIST}/${b.id}/read`))
    expect(marked).toMatchObject({ status: 200, body: { unreadCount: 2 } })
    const unread = await list('mgrW', '?unread=true')
    expect(unread.data.map((n: Json) => n.title)).toEqual(['Unread C', 'Unread A'])
    const all = await list('mgrW', '?unread=false&limit=1')
    expect(all).toMatchObject({ unreadCount: 2, next: expect.any(String) })
    const readOne = (await list('mgrW')).data.find((n: Json) => n.id === b.id)
    expect(readOne.readAt).toBe('2026-03-01T09:00:00.000Z')
    // Marking it again changes nothing.
    expect((await read(await f.as('mgrW', 'POST', `${LIST}/${b.id}/read`))).body).toEqual({
      unreadCount: 2,
    })
    expect((await list('mgrW', '?unread=true')).data.map((n: Json) => n.id)).toContain(a.id)
  })

  it("answers 404 for another user's notification exactly as for one that does not exist", async () => {
    const theirs = await send('rep1', { title: 'Private to rep1' })
    const other = await read(await f.as('rep2', 'POST', `${LIST}/${theirs.id}/read`))
    const missing = await read(await f.as('rep2', 'POST', `${LIST}/${MISSING}/read`))
    const garbage = await read(await f.as('rep2', 'POST', `${LIST}/not-an-id/read`))
    for (const res of [other, missing, garbage]) {
      expect(res.status).toBe(404)
      expect(errorPaths(res.body)).toEqual(['id'])
    }
    expect(other.body.error.message.replace(theirs.id, MISSING)).toBe(missing.body.error.message)
    const [row] = await f.db.query<{ read_at: unknown }>(
      sql`select read_at from notifications where id = ${theirs.id}::uuid`,
    )
    expect(row.read_at).toBeNull()
    expect((await list('rep2')).data.map((n: Json) => n.title)).not.toContain('Private to rep1')
  })

  it("marks all of the caller's notifications read and nobody else's", async () => {
    await send('repW', { title: 'W1' })
    await send('repW', { title: 'W2' })
    await send('viewer', { title: 'V1' })
    const res = await read(await f.as('repW', 'POST', `${LIST}/read-all`))
    expect(res).toMatchObject({ status: 200, body: { marked: 2, unreadCount: 0 } })
    expect((await list('repW', '?unread=true')).data).toEqual([])
    expect((await list('viewer')).unreadCount).toBe(1)
    const again = await read(await f.as('repW', 'POST', `${LIST}/read-all`))
    expect(again.body).toEqual({ marked: 0, unreadCount: 0 })
  })

  it('withholds a notification whose customer was transferred away from the rep, and shows it to the new owner', async () => {
    const acme = await f.create('customer', { name: 'Acme Secret Deal', owner: f.ids.rep1 })
    const about = { entity: 'customer', recordId: acme, alert: 'customerFollowUp' }
    const body = 'Acme Secret Deal: follow up today'
    const forRep1 = await send('rep1', { ...about, title: 'Follow up Acme Secret Deal', body })
    const forRep2 = await send('rep2', { ...about, title: 'Acme Secret Deal is yours', body })
    const before = (await list('rep1')).data.find((n: Json) => n.id === forRep1.id)
    expect(before).toMatchObject({ entity: 'customer', recordId: acme, body, withheld: false })
    // rep2 cannot read rep1's customer yet: withheld for them.
    const rep2Before = (await list('rep2')).data.find((n: Json) => n.id === forRep2.id)
    expect(rep2Before).toMatchObject({ withheld: true, recordId: null })

    const moved = await f.as('admin', 'POST', '/api/data/customer/bulk/transfer', {
      ids: [acme],
      toUserId: f.ids.rep2,
    })
    expect(moved.status).toBe(200)
    const page = await list('rep1')
    const after = page.data.find((n: Json) => n.id === forRep1.id)
    expect(after).toEqual({
      id: forRep1.id,
      title: neutralTitle('en'),
      body: null,
      alert: null,
      entity: null,
      recordId: null,
      createdAt: before.createdAt,
      readAt: null,
      withheld: true,
    })
    expect(JSON.stringify(page)).not.toContain('Secret')
    expect(JSON.stringify(page)).not.toContain(acme)
    // Still counted and still theirs to mark read.
    expect((await f.as('rep1', 'POST', `${LIST}/${forRep1.id}/read`)).status).toBe(200)
    const rep2After = (await list('rep2')).data.find((n: Json) => n.id === forRep2.id)
    expect(rep2After).toMatchObject({
      withheld: false,
      recordId: acme,
      title: 'Acme Secret Deal is yours',
    })
    // Their manager reads both reps' customers: shown.
    const mgrNote = await send('mgr', { ...about, title: 'Acme Secret Deal moved' })
    const mgrView = (await list('mgr')).data.find((n: Json) => n.id === mgrNote.id)
    expect(mgrView).toMatchObject({ withheld: false, recordId: acme })
  })

  it('withholds a notification about a deleted record, even from an administrator', async () => {
    const gone = await f.create('customer', { name: 'Gone Ltd', owner: f.ids.rep1 })
    const [admin] = await f.db.query<{ id: string }>(
      sql`select id::text as id from users where username = 'admin'`,
    )
    const note = await notify(f.db, {
      userId: admin.id,
      entity: 'customer',
      recordId: gone,
      title: 'Gone Ltd signed',
      key: 'gone-signed',
    })
    const record = await read(await f.as('admin', 'GET', `/api/data/customer/${gone}`))
    const deleted = await f.call('DELETE', `/api/data/customer/${gone}`, {
      token: f.adminToken,
      headers: { 'if-match': `"${record.body.version}"` },
    })
    expect(deleted.status).toBe(204)
    const shown = (await list('admin')).data.find((n: Json) => n.id === note.id)
    expect(shown).toMatchObject({ withheld: true, title: neutralTitle('en'), recordId: null })
  })

  it('answers bad parameters with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?unread=yes', 'unread'],
      ['?before=not-a-cursor', 'before'],
      [`?before=${Buffer.from('["2026-01-01","x"]').toString('base64url')}`, 'before'],
      ['?page=2', 'page'],
      ['?limit=1&limit=2', 'limit'],
    ]
    for (const [query, path] of cases) {
      const res = await read(await f.as('rep1', 'GET', `${LIST}${query}`))
      expect(res.status, query).toBe(400)
      expect(errorPaths(res.body), query).toEqual([path])
    }
    expect((await f.call('GET', LIST)).status).toBe(401)
    expect((await list('rep1', '?limit=100')).data.length).toBeGreaterThan(0)
  })

  it('refuses a malformed notification naming the field, storing nothing', async () => {
    const bad = async (input: Partial<NotifyInput>) => {
      const err = await notify(f.db, {
        userId: f.ids.rep1,
        title: 'x',
        key: `bad${++keys}`,
        ...input,
      }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ValidationError)
      return (err as ValidationError).details.map((d) => d.path)
    }
    expect(await bad({ userId: 'nobody' })).toEqual(['userId'])
    expect(await bad({ userId: MISSING })).toEqual(['userId'])
    expect(await bad({ title: '  ' })).toEqual(['title'])
    expect(await bad({ key: '' })).toEqual(['key'])
    expect(await bad({ entity: 'customer' })).toEqual(['recordId'])
    expect(await bad({ entity: 'customer', recordId: 'nope' })).toEqual(['recordId'])
    const [{ n }] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from notifications where key like 'bad%'`,
    )
    expect(n).toBe(0)
  })
})
