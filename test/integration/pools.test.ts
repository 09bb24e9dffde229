import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../runtime/errors'
import { claimRecord, releaseRecord } from '../../runtime/pools'
import { createRecord, getRecord, getRecordHistory } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { eastPool, openPoolsFixture, type PoolsFixture } from './pools-fixture'

const DAY = 24 * 60 * 60 * 1000
const at = (iso: string, days = 0) => new Date(+new Date(iso) + days * DAY).toISOString()
const T0 = '2026-03-02T09:00:00.000Z'

/** Runs `fn` and answers the error class name and reason it threw, or 'ok'. */
async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn()
    return 'ok'
  } catch (err) {
    if (err instanceof ConflictError) return `409:${String(err.extra.reason)}`
    if (err instanceof ForbiddenError) return '403'
    if (err instanceof NotFoundError) return '404'
    if (err instanceof ValidationError) return `422:${err.details[0]?.path}`
    throw err
  }
}

describe.each(testTargets())('pools on $name', (target) => {
  let pools = [eastPool({ limits: { claimsPerDay: 3, held: 4, heldByLevel: { A: 1 } } })]
  let f: PoolsFixture
  beforeAll(async () => {
    f = await openPoolsFixture(target, () => pools)
  })
  afterAll(() => f?.close())
  const pool = () => pools[0]
  const pooled = (values: Record<string, unknown> = {}) =>
    f.addCustomer({
      name: `C ${Math.random()}`,
      level: 'B',
      region: 'east',
      pool: 'east',
      owner: null,
      ...values,
    })

  it('gives a pooled record to the first claimer, refuses the second, and writes the history', async () => {
    const id = await pooled()
    const won = await claimRecord(f.rep(1), pool(), id)
    expect(won.owner).toBe(f.rep(1).user!.id)
    expect(await outcome(() => claimRecord(f.rep(2), pool(), id))).toBe('409:taken')
    const history = await getRecordHistory(f.admin, 'customer', id)
    expect(history[0]).toMatchObject({ action: 'claim', userId: f.rep(1).user!.id })
    expect(history[0].changes.owner).toEqual({ before: null, after: f.rep(1).user!.id })
  })

  it('refuses a claim from someone who is not a member of the pool', async () => {
    const id = await pooled()
    expect(await outcome(() => claimRecord(f.outsider, pool(), id))).toBe('403')
    expect((await getRecord(f.admin, 'customer', id)).owner).toBeNull()
  })

  it('stops claims at the held limit per level and at the daily limit, and allows them the next day', async () => {
    const day = at(T0, 30)
    const rep = (d = day) => f.rep(3, d)
    const a1 = await pooled({ level: 'A' })
    const a2 = await pooled({ level: 'A' })
    expect(await outcome(() => claimRecord(rep(), pool(), a1))).toBe('ok')
    expect(await outcome(() => claimRecord(rep(), pool(), a2))).toBe('409:heldLimit')
    for (let i = 0; i < 2; i++) await claimRecord(rep(), pool(), await pooled())
    const fourth = await pooled()
    expect(await outcome(() => claimRecord(rep(), pool(), fourth))).toBe('409:dailyLimit')
    expect(await outcome(() => claimRecord(rep(at(day, 1)), pool(), fourth))).toBe('ok')
    const fifth = await pooled()
    expect(await outcome(() => claimRecord(rep(at(day, 1)), pool(), fifth))).toBe('409:heldLimit')
  })

  it('returns a record with a listed reason and keeps its previous owner out for the cool-down', async () => {
    const id = await pooled()
    const rep = f.rep(2, at(T0, 60))
    await claimRecord(rep, pool(), id)
    expect(
      await outcome(() => releaseRecord(rep, 'customer', id, { pool: pool(), reason: 'bored' })),
    ).toBe('422:reason')
    await releaseRecord(rep, 'customer', id, { pool: pool(), reason: 'noNeed' })
    const history = await getRecordHistory(f.admin, 'customer', id)
    expect(history[0]).toMatchObject({ action: 'release', userId: rep.user!.id })
    expect(history[0].changes.reason).toEqual({ before: null, after: 'noNeed' })
    expect(await outcome(() => claimRecord(f.rep(2, at(T0, 66)), pool(), id))).toBe('409:cooldown')
    expect(await outcome(() => claimRecord(f.rep(2, at(T0, 67.1)), pool(), id))).toBe('ok')
  })

  it('refuses to return a record to a pool whose filter it does not match, or one the caller cannot see', async () => {
    const id = await f.addCustomer({
      name: 'West Co',
      level: 'B',
      region: 'west',
      pool: 'east',
      owner: null,
    })
    const rep = f.rep(1, at(T0, 90))
    await claimRecord(rep, pool(), id)
    expect(
      await outcome(() =>
        releaseRecord(f.rep(2, at(T0, 90)), 'customer', id, { pool: pool(), reason: 'noNeed' }),
      ),
    ).toBe('404')
    expect(
      await outcome(() => releaseRecord(rep, 'customer', id, { pool: pool(), reason: 'noNeed' })),
    ).toBe('422:pool')
  })

  it('reclaims a record without follow-up after the level’s days, reminds first, and a follow-up moves both', async () => {
    const claimAt = at(T0, 120)
    await f.fireDue(claimAt) // timers of the records above
    const id = await pooled({ level: 'B' })
    const rep = f.rep(1, claimAt)
    await claimRecord(rep, pool(), id)
    await f.handleEvents(claimAt)
    const timers = async () =>
      f.db.query<{ kind: string; due_at: unknown }>(sql`select kind, due_at from timers
        where key = ${id} and fired_at is null order by kind`)
    const due = (await timers()).map((t) => [t.kind, new Date(t.due_at as string).toISOString()])
    expect(due).toEqual([
      ['pool-reclaim', at(claimAt, 10)],
      ['pool-reclaim-reminder', at(claimAt, 8)],
    ])
    // A follow-up on day 5 moves the reclaim to day 15 and the reminder to day 13.
    const followAt = at(claimAt, 5)
    await createRecord(f.rep(1, followAt), 'followUp', { subject: 'call', customer: id })
    await f.db.query(
      sql`update app.follow_up set created_at = ${followAt}::timestamptz where customer = ${id}::uuid`,
    )
    await f.handleEvents(followAt)
    expect((await timers()).map((t) => new Date(t.due_at as string).toISOString())).toEqual([
      at(claimAt, 15),
      at(claimAt, 13),
    ])
    expect(await f.fireDue(at(claimAt, 12))).toBe(0)
    expect(await f.fireDue(at(claimAt, 13))).toBe(1)
    const [note] = await f.db.query<{ user_id: string }>(
      sql`select user_id::text from notifications where record_id = ${id}::uuid`,
    )
    expect(note.user_id).toBe(rep.user!.id)
    expect((await getRecord(f.admin, 'customer', id)).owner).toBe(rep.user!.id)
    expect(await f.fireDue(at(claimAt, 15))).toBe(1)
    expect((await getRecord(f.admin, 'customer', id)).owner).toBeNull()
    const history = await getRecordHistory(f.admin, 'customer', id)
    expect(history[0]).toMatchObject({ action: 'reclaim', userId: null })
    expect(history[0].changes.reason).toEqual({ before: null, after: 'noFollowUp' })
  })
})

describe.each(testTargets())('pool reminders on $name', (target) => {
  const pools = [eastPool({ label: { en: 'East pool', 'zh-CN': '华东公海', ko: '동부 풀' } })]
  let f: PoolsFixture
  beforeAll(async () => {
    f = await openPoolsFixture(target, () => pools, 1)
  })
  afterAll(() => f?.close())

  it('reminds a zh-CN rep in Chinese with the reclaim day as it falls in the instance zone', async () => {
    const rep = f.rep(1, '2026-03-02T20:00:00.000Z')
    await f.db.query(sql`update users set locale = 'zh-CN' where id = ${rep.user!.id}::uuid`)
    const id = await f.addCustomer({
      name: 'Z',
      level: 'B',
      region: 'east',
      pool: 'east',
      owner: null,
    })
    await claimRecord(rep, pools[0], id)
    await f.handleEvents('2026-03-02T20:00:00.000Z')
    // Reclaim due 2026-03-12T20:00Z, already 13 March in Shanghai; the reminder two days before.
    expect(await f.fireDue('2026-03-10T20:00:00.000Z')).toBe(1)
    const notes = await f.db.query<{ user_id: string; title: string }>(
      sql`select user_id::text, title from notifications where record_id = ${id}::uuid`,
    )
    expect(notes).toEqual([
      { user_id: rep.user!.id, title: '如无跟进，将于2026年3月13日退回华东公海' },
    ])
  })
})

// Races need real concurrent sessions: PostgreSQL only (PGlite runs one statement at a time).
describe.each(testTargets().filter((t) => t.name === 'postgres'))(
  'pool races on $name',
  (target) => {
    const pool = eastPool({ limits: { held: 4 } })
    let f: PoolsFixture
    beforeAll(async () => {
      f = await openPoolsFixture(target, () => [pool], 50)
    })
    afterAll(() => f?.close())
    const pooled = () =>
      f.addCustomer({
        name: `R ${Math.random()}`,
        level: 'B',
        region: 'east',
        pool: 'east',
        owner: null,
      })

    it('lets exactly one of 50 parallel claims win', async () => {
      const id = await pooled()
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => outcome(() => claimRecord(f.rep(i + 1), pool, id))),
      )
      expect(results.filter((r) => r === 'ok')).toHaveLength(1)
      expect(results.filter((r) => r === '409:taken')).toHaveLength(49)
      const [n] = await f.db.query<{ n: number }>(
        sql`select count(*)::int as n from audit_log where record_id = ${id}::uuid and action = 'claim'`,
      )
      expect(n.n).toBe(1)
    })

    it('keeps the held limit under 10 parallel claims by one rep', async () => {
      const ids = await Promise.all(Array.from({ length: 10 }, () => pooled()))
      const rep = f.rep(7)
      const results = await Promise.all(ids.map((id) => outcome(() => claimRecord(rep, pool, id))))
      const [held] = await f.db.query<{ n: number }>(
        sql`select count(*)::int as n from app.customer where owner = ${rep.user!.id}::uuid`,
      )
      expect(held.n).toBe(4)
      expect(results.filter((r) => r === 'ok')).toHaveLength(4)
      expect(results.filter((r) => r === '409:heldLimit')).toHaveLength(6)
    })
  },
)
