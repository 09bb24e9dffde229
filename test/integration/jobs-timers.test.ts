import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import {
  enqueueDueTimers,
  registerJobHandlers,
  startAutomation,
} from '../../runtime/jobs/automation'
import { fireTimer, type HandlerRegistry } from '../../runtime/jobs/event-handlers'
import type { JobQueue } from '../../runtime/jobs/queue'
import {
  cancelRecordTimers,
  cancelTimer,
  claimDueTimers,
  nextTimerDue,
  scheduleTimer,
} from '../../runtime/jobs/timers'
import { testTargets } from '../support/databases'
import {
  effectsOf,
  manualClock,
  openJobsFixture,
  processParts,
  quietLog,
  recordEffect,
  type JobsFixture,
} from './jobs-fixture'

const T0 = new Date('2026-03-01T09:00:00.000Z')
const at = (minutes: number) => new Date(+T0 + minutes * 60_000)

/** One simulated process: a queue whose `timer` jobs record an effect per firing. */
function startProcess(db: Db, kind: string, concurrency = 4) {
  const { handlers, queue } = processParts()
  const clock = manualClock(T0)
  handlers.onTimer(kind, (ctx, timer) => recordEffect(ctx.db, kind, timer.key, timer.dueAt))
  const run = () =>
    registerJobHandlers({ db, queue, clock, log: quietLog }, handlers, { concurrency })
  /** Claims what is due at `now` and waits until every job ran. */
  const poll = async (now: Date, owner = 'p', leaseMs = 60_000) => {
    clock.set(now)
    const n = await enqueueDueTimers(db, queue, { now, limit: 500, owner, leaseMs })
    await queue.idle()
    return n
  }
  return { handlers, queue, clock, run, poll }
}

describe.each(testTargets())('timers on $name', (target) => {
  let f: JobsFixture
  const queues: JobQueue[] = []
  const proc = (kind: string, concurrency?: number) => {
    const p = startProcess(f.db, kind, concurrency)
    queues.push(p.queue)
    return p
  }
  beforeAll(async () => {
    f = await openJobsFixture(target)
  })
  afterAll(async () => {
    for (const q of queues) await q.close()
    await f?.close()
  })

  it('fires a due timer once however often it is polled', async () => {
    const p = proc('once')
    p.run()
    await scheduleTimer(f.db, { kind: 'once', key: 'a', dueAt: at(10) })
    expect(await p.poll(at(9))).toBe(0)
    expect(await p.poll(at(10))).toBe(1)
    expect(await p.poll(at(11))).toBe(0)
    expect(await effectsOf(f.db, 'once')).toEqual([{ ref: 'a', at: at(10) }])
  })

  it('fires a moved timer at its new time only, even when moved after it was claimed', async () => {
    const p = proc('moved')
    await scheduleTimer(f.db, { kind: 'moved', key: 'b', dueAt: at(10) })
    // Claimed and queued at 10:00, but the job has not run when the follow-up moves it.
    expect(
      await enqueueDueTimers(f.db, p.queue, { now: at(10), limit: 9, owner: 'p', leaseMs: 60_000 }),
    ).toBe(1)
    await scheduleTimer(f.db, { kind: 'moved', key: 'b', dueAt: at(30) })
    p.run()
    await p.queue.idle()
    expect(await effectsOf(f.db, 'moved')).toEqual([])
    expect(await p.poll(at(29))).toBe(0)
    expect(await p.poll(at(30))).toBe(1)
    // A fired timer scheduled again fires again, at its next time.
    await scheduleTimer(f.db, { kind: 'moved', key: 'b', dueAt: at(60) })
    expect(await p.poll(at(60))).toBe(1)
    expect(await effectsOf(f.db, 'moved')).toEqual([
      { ref: 'b', at: at(30) },
      { ref: 'b', at: at(60) },
    ])
  })

  it('never fires a cancelled timer, even one cancelled after it was queued', async () => {
    const p = proc('cancelled')
    await scheduleTimer(f.db, { kind: 'cancelled', key: 'c1', dueAt: at(5) })
    await scheduleTimer(f.db, {
      kind: 'cancelled',
      key: 'c2',
      dueAt: at(5),
      entity: 'customer',
      recordId: '11111111-1111-4111-8111-111111111111',
    })
    await scheduleTimer(f.db, { kind: 'cancelled', key: 'c3', dueAt: at(5) })
    expect(await cancelTimer(f.db, 'cancelled', 'c1')).toBe(true)
    expect(await cancelTimer(f.db, 'cancelled', 'c1')).toBe(false)
    expect(await cancelRecordTimers(f.db, 'customer', '11111111-1111-4111-8111-111111111111')).toBe(
      1,
    )
    expect(
      await enqueueDueTimers(f.db, p.queue, { now: at(6), limit: 9, owner: 'p', leaseMs: 60_000 }),
    ).toBe(1)
    await cancelTimer(f.db, 'cancelled', 'c3')
    p.run()
    await p.queue.idle()
    expect(await p.poll(at(100))).toBe(0)
    expect(await effectsOf(f.db, 'cancelled')).toEqual([])
  })

  it('catches up 100 timers that fell due while nothing ran, each once, in due order', async () => {
    const p = proc('downtime', 1)
    const minutes = Array.from({ length: 100 }, (_, i) => i * 7 + 1).sort(() => Math.random() - 0.5)
    for (const m of minutes)
      await scheduleTimer(f.db, { kind: 'downtime', key: `d${m}`, dueAt: at(m) })
    p.run()
    expect(await p.poll(at(24 * 60))).toBe(100)
    expect(await p.poll(at(24 * 60 + 1))).toBe(0)
    const fired = await effectsOf(f.db, 'downtime')
    expect(fired.map((e) => e.ref)).toEqual([...minutes].sort((a, b) => a - b).map((m) => `d${m}`))
  })

  it('lets two claimers take disjoint timers and fire each one once', async () => {
    const other = await f.other()
    const keys = Array.from({ length: 200 }, (_, i) => `r${i}`)
    for (const key of keys) await scheduleTimer(f.db, { kind: 'race', key, dueAt: at(1) })
    const claimer = async (db: Db, owner: string) => {
      const ids: number[] = []
      for (;;) {
        const got = await claimDueTimers(db, { now: at(2), limit: 7, owner, leaseMs: 60_000 })
        if (got.length === 0) return ids
        ids.push(...got.map((t) => t.id))
      }
    }
    const [a, b] = await Promise.all([claimer(f.db, 'a'), claimer(other, 'b')])
    expect(a.length + b.length).toBe(200)
    expect(new Set([...a, ...b]).size).toBe(200)
    // Each firing delivered twice at once, through both handles: one effect each.
    const handlers = processParts().handlers
    handlers.onTimer('race', (ctx, t) => recordEffect(ctx.db, 'race', t.key))
    const ctxOf = (db: Db) => ({
      db,
      clock: manualClock(at(2)),
      log: quietLog,
      queue: processParts().queue,
    })
    const fire = (db: Db, id: number) =>
      fireTimer(ctxOf(db), handlers, { id, kind: 'race', dueAt: at(1).toISOString() })
    const outcomes = await Promise.all(
      [...a, ...b].flatMap((id) => [fire(f.db, id), fire(other, id)]),
    )
    expect(outcomes.filter(Boolean)).toHaveLength(200)
    const fired = await effectsOf(f.db, 'race')
    expect(fired).toHaveLength(200)
    expect(new Set(fired.map((e) => e.ref))).toEqual(new Set(keys))
  })

  it('lets another claimer fire a timer whose claimer died mid-job once its lease ran out', async () => {
    const other = await f.other()
    await scheduleTimer(f.db, { kind: 'dies', key: 'x', dueAt: at(1) })
    const [claimed] = await claimDueTimers(other, {
      now: at(1),
      limit: 1,
      owner: 'dying',
      leaseMs: 1500,
    })
    expect(claimed.key).toBe('x')
    // The dying process gets as far as its effect, then its transaction is gone.
    const dying: HandlerRegistry = processParts().handlers
    dying.onTimer('dies', async (ctx, t) => {
      await recordEffect(ctx.db, 'dies', t.key)
      if (target.name === 'postgres') {
        const [{ pid }] = await ctx.db.query<{ pid: number }>(sql`select pg_backend_pid() as pid`)
        await f.db.query(sql`select pg_terminate_backend(${pid})`)
        await ctx.db.query(sql`select 1`)
      }
      throw new Error('the process died')
    })
    const ctx = { db: other, clock: manualClock(at(1)), log: quietLog, queue: processParts().queue }
    await expect(
      fireTimer(ctx, dying, { id: claimed.id, kind: 'dies', dueAt: at(1).toISOString() }),
    ).rejects.toThrow()
    expect(await effectsOf(f.db, 'dies')).toEqual([])
    const p = proc('dies')
    p.run()
    expect(await p.poll(at(1), 'survivor')).toBe(0) // still leased
    await new Promise((r) => setTimeout(r, 1600))
    expect(await p.poll(at(1), 'survivor')).toBe(1)
    expect(await p.poll(at(2), 'survivor')).toBe(0)
    expect(await effectsOf(f.db, 'dies')).toEqual([{ ref: 'x', at: at(1) }])
  })

  it('wakes the poll loop when the next timer falls due instead of a poll interval later', async () => {
    // A clock running in real time from a past day no other test's timer is due on.
    const origin = Date.parse('2020-01-01T00:00:00.000Z')
    const started = Date.now()
    const clock = { now: () => new Date(origin + Date.now() - started) }
    const { handlers, queue } = processParts()
    queues.push(queue)
    handlers.onTimer('wake', (ctx, t) => recordEffect(ctx.db, 'wake', t.key, t.dueAt))
    const dueAt = new Date(origin + 400)
    await scheduleTimer(f.db, { kind: 'wake', key: 'w', dueAt })
    expect(await nextTimerDue(f.db, new Date(origin))).toEqual(dueAt)
    const automation = startAutomation({
      ...{ db: f.db, queue, clock, log: quietLog, handlers, worker: true },
      pollMs: 10 * 60_000,
    })
    try {
      // Polled every 10 minutes, the timer would wait that long: the wait below is far shorter.
      const end = Date.now() + 30_000
      while ((await effectsOf(f.db, 'wake')).length === 0 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50))
      expect(await effectsOf(f.db, 'wake')).toEqual([{ ref: 'w', at: dueAt }])
    } finally {
      await automation.stop()
    }
  })
})
