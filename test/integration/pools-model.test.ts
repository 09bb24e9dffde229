import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError } from '../../runtime/errors'
import { claimRecord, releaseRecord } from '../../runtime/pools'
import { createRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { eastPool, openPoolsFixture, type PoolsFixture } from './pools-fixture'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const T0 = Date.parse('2026-03-02T09:00:00Z')
const REPS = 3
const pool = eastPool({
  limits: { claimsPerDay: 2, held: 4, heldByLevel: { A: 1 } },
  cooldownDays: 3,
  reclaim: {
    followUp: { entity: 'followUp', field: 'customer' },
    rules: [
      { levels: ['A'], noFollowUpDays: 6, remindDaysBefore: 1 },
      { noFollowUpDays: 4, remindDaysBefore: 2 },
    ],
  },
})

/** Small seeded generator, so a failing run can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The rules written out again, independently of runtime/pools. */
interface ModelRecord {
  level: 'A' | 'B'
  owner: number | null
  claimedAt: number
  lastFollowUp: number
  left: Map<number, number>
  remindedAt: Set<number>
}

class PoolModel {
  claims: { rep: number; at: number }[] = []
  reminders = 0
  reclaims = 0
  constructor(readonly records: ModelRecord[]) {}

  claim(rep: number, i: number, now: number): string {
    const r = this.records[i]
    if ((r.left.get(rep) ?? -Infinity) > now - 3 * DAY) return '409:cooldown'
    const dayStart = Math.floor(now / DAY) * DAY
    if (this.claims.filter((c) => c.rep === rep && c.at >= dayStart).length >= 2)
      return '409:dailyLimit'
    const held = this.records.filter((x) => x.owner === rep)
    if (held.length >= 4) return '409:heldLimit'
    if (r.level === 'A' && held.filter((x) => x.level === 'A').length >= 1) return '409:heldLimit'
    if (r.owner !== null) return '409:taken'
    Object.assign(r, { owner: rep, claimedAt: now })
    this.claims.push({ rep, at: now })
    return 'ok'
  }

  release(rep: number, i: number, now: number): string {
    const r = this.records[i]
    if (r.owner !== rep) return '404'
    r.left.set(rep, now)
    r.owner = null
    return 'ok'
  }

  /** Due reminders and reclaims up to `now`, in due order. */
  advance(now: number): void {
    for (const r of this.records) {
      if (r.owner === null) continue
      const days = r.level === 'A' ? 6 : 4
      const due = Math.max(r.claimedAt, r.lastFollowUp) + days * DAY
      const remind = due - (r.level === 'A' ? 1 : 2) * DAY
      if (remind <= now && !r.remindedAt.has(remind)) (r.remindedAt.add(remind), this.reminders++)
      if (due <= now) (r.left.set(r.owner, now), (r.owner = null), this.reclaims++)
    }
  }
}

async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn()
    return 'ok'
  } catch (err) {
    if (err instanceof ConflictError) return `409:${String(err.extra.reason)}`
    if (err instanceof NotFoundError) return '404'
    throw err
  }
}

describe.each(testTargets())('pools against a model on $name', (target) => {
  let f: PoolsFixture
  const ids: string[] = []
  const model = new PoolModel([])
  beforeAll(async () => {
    f = await openPoolsFixture(target, () => [pool], REPS)
    for (let i = 0; i < 6; i++) {
      const level = i < 2 ? 'A' : 'B'
      ids.push(
        await f.addCustomer({ name: `M${i}`, level, region: 'east', pool: 'east', owner: null }),
      )
      model.records.push({
        level,
        owner: null,
        claimedAt: 0,
        lastFollowUp: 0,
        left: new Map(),
        remindedAt: new Set(),
      })
    }
  })
  afterAll(() => f?.close())

  it('agrees with the model over 200 random claims, releases, follow-ups and clock steps', async () => {
    const random = rng(target.name === 'postgres' ? 7 : 11)
    const repIds = Array.from({ length: REPS }, (_, n) => f.rep(n + 1).user!.id)
    let now = T0
    const log: string[] = []
    for (let step = 0; step < 200; step++) {
      const iso = new Date(now).toISOString()
      const rep = 1 + Math.floor(random() * REPS)
      const i = Math.floor(random() * ids.length)
      const roll = random()
      if (roll < 0.45) {
        const got = await outcome(() => claimRecord(f.rep(rep, iso), pool, ids[i]))
        log.push(`${iso} rep${rep} claims ${i}: ${got}`)
        expect(got, log.join('\n')).toBe(model.claim(rep, i, now))
      } else if (roll < 0.6) {
        const release = () =>
          releaseRecord(f.rep(rep, iso), 'customer', ids[i], { pool, reason: 'noNeed' })
        const got = await outcome(release)
        log.push(`${iso} rep${rep} releases ${i}: ${got}`)
        expect(got, log.join('\n')).toBe(model.release(rep, i, now))
      } else if (roll < 0.68) {
        const owned = model.records.findIndex((r) => r.owner === rep)
        if (owned < 0) continue
        await createRecord(f.rep(rep, iso), 'followUp', { subject: 'call', customer: ids[owned] })
        model.records[owned].lastFollowUp = now
        log.push(`${iso} rep${rep} follows up ${owned}`)
      } else {
        now += Math.ceil(random() * 8) * HOUR
        log.push(`clock → ${new Date(now).toISOString()}`)
      }
      const at = new Date(now).toISOString()
      await f.handleEvents(at)
      await f.fireDue(at)
      model.advance(now)
      const rows = await f.db.query<{ id: string; owner: string | null }>(
        sql`select id::text as id, owner::text as owner from app.customer`,
      )
      const owners = ids.map((id) => rows.find((r) => r.id === id)!.owner)
      const expected = model.records.map((r) => (r.owner === null ? null : repIds[r.owner - 1]))
      expect(owners, log.join('\n')).toEqual(expected)
    }
    const [notes] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from notifications`,
    )
    expect(notes.n).toBe(model.reminders)
    // The walk reached every rule, so the agreement above means something.
    expect(model.claims.length).toBeGreaterThan(5)
    expect(model.reclaims).toBeGreaterThan(0)
    expect(model.reminders).toBeGreaterThan(0)
    for (const refusal of ['409:taken', '409:heldLimit', '409:dailyLimit', '409:cooldown'])
      expect(
        log.some((line) => line.endsWith(refusal)),
        refusal,
      ).toBe(true)
  })
})
