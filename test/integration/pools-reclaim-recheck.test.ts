import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolDefinition } from '../../metadata/pool'
import { claimRecord } from '../../runtime/pools'
import { createRecord, getRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { eastPool, openPoolsFixture, type PoolsFixture } from './pools-fixture'

const DAY = 24 * 60 * 60 * 1000
const at = (iso: string, days = 0) => new Date(+new Date(iso) + days * DAY).toISOString()
const T0 = '2026-03-02T09:00:00.000Z'

/** Marks every waiting outbox event delivered without handling it: a lost timer move. */
async function dropEvents(f: PoolsFixture) {
  await f.db.query(sql`update outbox set delivered_at = now() where delivered_at is null`)
}

async function pendingTimers(f: PoolsFixture, id: string) {
  const rows = await f.db.query<{ kind: string; due_at: unknown }>(sql`select kind, due_at
    from timers where key = ${id} and fired_at is null order by kind`)
  return rows.map((t) => [t.kind, new Date(t.due_at as string).toISOString()])
}

/** A pooled customer of level B that rep 1 claims at `claimAt`, its timers planned. */
async function claimed(f: PoolsFixture, pool: PoolDefinition, claimAt: string): Promise<string> {
  const id = await f.addCustomer({
    name: `C ${Math.random()}`,
    level: 'B',
    region: 'east',
    pool: 'east',
    owner: null,
  })
  await claimRecord(f.rep(1, claimAt), pool, id)
  await f.handleEvents(claimAt)
  return id
}

describe.each(testTargets())(
  'a reclaim timer re-checks the record when it fires on $name',
  (target) => {
    const pool = eastPool()
    let f: PoolsFixture
    beforeAll(async () => {
      f = await openPoolsFixture(target, () => [pool])
    })
    afterAll(() => f?.close())

    it('keeps a record whose follow-up never moved the timer, and plans the timers again', async () => {
      const claimAt = at(T0, 1)
      const id = await claimed(f, pool, claimAt)
      expect(await pendingTimers(f, id)).toEqual([
        ['pool-reclaim', at(claimAt, 10)],
        ['pool-reclaim-reminder', at(claimAt, 8)],
      ])
      await createRecord(f.rep(1, at(claimAt, 5)), 'followUp', { subject: 'call', customer: id })
      await dropEvents(f)
      // The reminder, due on day 8 as planned, finds the follow-up and moves instead of telling.
      expect(await f.fireDue(at(claimAt, 8))).toBe(0)
      const notes = sql`select count(*)::int as n from notifications where record_id = ${id}::uuid`
      expect((await f.db.query<{ n: number }>(notes))[0].n).toBe(0)
      expect(await f.fireDue(at(claimAt, 10))).toBe(0)
      expect((await getRecord(f.admin, 'customer', id)).owner).toBe(f.rep(1).user!.id)
      expect(await pendingTimers(f, id)).toEqual([
        ['pool-reclaim', at(claimAt, 15)],
        ['pool-reclaim-reminder', at(claimAt, 13)],
      ])
      expect(await f.fireDue(at(claimAt, 13))).toBe(1)
      expect((await f.db.query<{ n: number }>(notes))[0].n).toBe(1)
      expect(await f.fireDue(at(claimAt, 15))).toBe(1)
      expect((await getRecord(f.admin, 'customer', id)).owner).toBeNull()
    })

    it('still reclaims a record when nothing happened since the timer was planned', async () => {
      const claimAt = at(T0, 40)
      const id = await claimed(f, pool, claimAt)
      expect(await f.fireDue(at(claimAt, 10))).toBe(2)
      expect((await getRecord(f.admin, 'customer', id)).owner).toBeNull()
      expect(await pendingTimers(f, id)).toEqual([])
    })
  },
)

// A follow-up committed while the reclaim runs needs two sessions at once: PostgreSQL only.
describe.each(testTargets().filter((t) => t.name === 'postgres'))(
  'a reclaim racing a follow-up on $name',
  (target) => {
    const pool = eastPool()
    let f: PoolsFixture
    beforeAll(async () => {
      f = await openPoolsFixture(target, () => [pool])
    })
    afterAll(() => f?.close())

    it('waits for a follow-up being written and keeps the record', async () => {
      const claimAt = T0
      const id = await claimed(f, pool, claimAt)
      expect(await f.fireDue(at(claimAt, 8))).toBe(1) // the reminder, before any follow-up
      let commit!: () => void
      const held = new Promise<void>((resolve) => (commit = resolve))
      let inserted!: () => void
      const written = new Promise<void>((resolve) => (inserted = resolve))
      const followUp = f.db.transaction(async (tx) => {
        const rep = { ...f.rep(1, at(claimAt, 9.5)), db: tx }
        await createRecord(rep, 'followUp', { subject: 'late call', customer: id })
        inserted()
        await held
      })
      await written
      const firing = f.fireDue(at(claimAt, 10))
      // The firing waits on the record's lock while the follow-up is uncommitted.
      const end = Date.now() + 10_000
      for (;;) {
        const [w] = await f.db.query<{ n: number }>(sql`select count(*)::int as n
          from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)
        if (w.n > 0) break
        if (Date.now() > end) throw new Error('the reclaim never waited for the follow-up')
        await new Promise((r) => setTimeout(r, 20))
      }
      commit()
      await followUp
      expect(await firing).toBe(0)
      expect((await getRecord(f.admin, 'customer', id)).owner).toBe(f.rep(1).user!.id)
      expect(await pendingTimers(f, id)).toEqual([
        ['pool-reclaim', at(claimAt, 19.5)],
        ['pool-reclaim-reminder', at(claimAt, 17.5)],
      ])
    })
  },
)
