import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { drainOutbox, registerJobHandlers, startAutomation } from '../../runtime/jobs/automation'
import { createQueue } from '../../runtime/jobs/create-queue'
import { createHandlerRegistry } from '../../runtime/jobs/event-handlers'
import { dispatchOutbox, queueOutboxInProcess, sweepRetention } from '../../runtime/jobs/dispatcher'
import type { JobQueue } from '../../runtime/jobs/queue'
import { scheduleTimer } from '../../runtime/jobs/timers'
import pino from 'pino'
import { systemClock } from '../../runtime/clock'
import { storeDeadLetter } from '../../runtime/jobs/dead-letters'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
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

/** Writes `n` events as record writes do (one outbox row each); answers their ids. */
async function writeEvents(db: Db, n: number, entity = 'customer'): Promise<number[]> {
  const rows = await db.query<{ id: number | string }>(sql`
    insert into outbox (entity, record_id, event, payload)
    select ${entity}, gen_random_uuid(), 'created', jsonb_build_object('changes', '{}'::jsonb, 'i', g)
    from generate_series(1, ${n}) g
    returning id`)
  return rows.map((r) => Number(r.id))
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
/** A port nothing listens on: Redis is down. */
const DOWN_URL = 'redis://127.0.0.1:1'

/** Deletes every Redis key under `prefix`. */
async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL)
  const keys = await redis.keys(`${prefix}:*`)
  if (keys.length) await redis.del(...keys)
  redis.disconnect()
}

/** Marks every event delivered, so a test sees only its own. */
const markAllDelivered = (db: Db) => db.query(sql`update outbox set delivered_at = now()`)

const undelivered = async (db: Db) =>
  Number(
    (
      await db.query<{ n: number }>(
        sql`select count(*)::int as n from outbox where delivered_at is null`,
      )
    )[0].n,
  )

describe.each(testTargets())('the outbox dispatcher on $name', (target) => {
  let f: JobsFixture
  const cleanup: (() => Promise<void>)[] = []
  beforeAll(async () => {
    f = await openJobsFixture(target)
  })
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c()
    cleanup.length = 0
  })
  afterAll(() => f?.close())

  /** A process running dispatcher and/or jobs, whose handlers record each event's id. */
  const startProcess = (db: Db, worker: boolean, handlerNames: string[], concurrency = 4) => {
    const { handlers, queue } = processParts()
    for (const name of handlerNames)
      handlers.onEvent(name, (ctx, e) => recordEffect(ctx.db, name, String(e.id)))
    const automation = startAutomation({
      db,
      queue,
      clock: manualClock('2026-03-01T00:00:00Z'),
      log: quietLog,
      handlers,
      worker,
      concurrency,
      pollMs: 20,
    })
    cleanup.push(async () => {
      await automation.stop()
      await queue.close()
    })
    return { automation, queue, handlers }
  }

  it('hands every event to every handler once, in write order', async () => {
    await markAllDelivered(f.db) // nothing else's events in the way
    const ids = await writeEvents(f.db, 120, 'ordered')
    const p = startProcess(f.db, true, ['first', 'second'], 1)
    await p.automation.poll()
    await p.queue.idle()
    await p.automation.poll()
    await p.queue.idle()
    for (const name of ['first', 'second'])
      expect((await effectsOf(f.db, name)).map((e) => Number(e.ref))).toEqual(ids)
    expect(await undelivered(f.db)).toBe(0)
  })

  it('judges a batch on metadata read after the batch, so an event written just before counts', async () => {
    // `wanted` stands for "does any alert, SLA or pool concern this entity" on the metadata
    // last read; `refresh` reads it again. The new entity's rule arrives after the last read.
    const interest = { read: new Set<string>(), published: new Set<string>() }
    const refresh = async () => void (interest.read = new Set(interest.published))
    const wanted = (e: { entity: string }) => interest.read.has(e.entity)
    for (const inProcess of [true, false]) {
      await markAllDelivered(f.db)
      const entity = inProcess ? 'lateInProcess' : 'lateClaimed'
      interest.published.add(entity)
      await writeEvents(f.db, 3, entity)
      await writeEvents(f.db, 2, 'nobodyCares')
      const { queue } = processParts()
      const keys: string[] = []
      const counting = { ...queue, add: async (job: { key: string }) => void keys.push(job.key) }
      const sent = inProcess
        ? (await queueOutboxInProcess(f.db, counting as JobQueue, 0, 500, wanted, refresh)).count
        : await dispatchOutbox(f.db, counting as JobQueue, { wanted, refresh })
      expect(sent).toBe(5)
      expect(keys).toHaveLength(3)
      await queue.close()
    }
  })

  it('queues again, after a restart, the events an in-process queue held when it died', async () => {
    await markAllDelivered(f.db)
    const ids = await writeEvents(f.db, 25, 'restart')
    const dead = processParts().queue // queued in memory, never run: the process died
    expect(await drainOutbox(f.db, dead)).toBe(25)
    await dead.close()
    expect(await undelivered(f.db)).toBe(25)
    const p = startProcess(f.db, true, ['restart'])
    await p.automation.poll()
    await p.queue.idle()
    const seen = (await effectsOf(f.db, 'restart')).map((e) => Number(e.ref))
    expect(seen.sort((x, y) => x - y)).toEqual(ids)
    expect(await undelivered(f.db)).toBe(0)
  })

  it('runs again only the handler that failed, when an event job is retried', async () => {
    const { handlers, queue } = processParts()
    let failures = 0
    handlers.onEvent('steady', (ctx, e) => recordEffect(ctx.db, 'steady', String(e.id)))
    handlers.onEvent('flaky', async (ctx, e) => {
      await recordEffect(ctx.db, 'flaky', String(e.id))
      if (failures++ < 2) throw new Error('not yet')
    })
    const automation = startAutomation({
      db: f.db,
      queue,
      clock: manualClock('2026-03-01T00:00:00Z'),
      log: quietLog,
      handlers,
      worker: true,
      pollMs: 60_000,
    })
    cleanup.push(async () => (await automation.stop(), await queue.close()))
    const [id] = await writeEvents(f.db, 1, 'flaky')
    await automation.poll()
    await queue.idle()
    await waitFor(async () => failures >= 3) // the retries wait 20 ms, then 40 ms
    await queue.idle()
    expect(failures).toBe(3)
    expect(await effectsOf(f.db, 'steady')).toEqual([{ ref: String(id), at: null }])
    expect(await effectsOf(f.db, 'flaky')).toEqual([{ ref: String(id), at: null }])
  })

  it('keeps events and timers for the retention period, then deletes them', async () => {
    const [pending] = await writeEvents(f.db, 1, 'kept')
    const [sent] = await writeEvents(f.db, 1, 'swept')
    await f.db.query(
      sql`update outbox set delivered_at = now() - interval '3 days' where id = ${sent}`,
    )
    const fired = await scheduleTimer(f.db, { kind: 'swept', key: 'f', dueAt: new Date() })
    const unfired = await scheduleTimer(f.db, { kind: 'swept', key: 'u', dueAt: new Date(0) })
    await f.db.query(
      sql`update timers set fired_at = now() - interval '3 days' where id = ${fired.id}`,
    )
    const day = 24 * 60 * 60 * 1000
    expect(await sweepRetention(f.db, { now: new Date(), retentionMs: 4 * day })).toEqual({
      outbox: 0,
      timers: 0,
      effects: 0,
    })
    const swept = await sweepRetention(f.db, {
      now: new Date(Date.now() + 2 * day),
      retentionMs: 4 * day,
      batchSize: 1,
    })
    expect(swept.outbox).toBeGreaterThanOrEqual(1)
    expect(swept.timers).toBe(1)
    // Effect keys stay 30 days, far past the events they guard.
    await f.db.query(sql`insert into job_effects (key, job, done_at) values
      ('retention:old', 'event', now() - interval '31 days'),
      ('retention:recent', 'event', now() - interval '29 days')`)
    expect((await sweepRetention(f.db, { now: new Date() })).effects).toBeGreaterThanOrEqual(1)
    const keys = await f.db.query<{ key: string }>(
      sql`select key from job_effects where key like 'retention:%' order by key`,
    )
    expect(keys.map((k) => k.key)).toEqual(['retention:recent'])
    const left = await f.db.query<{ id: number | string }>(
      sql`select id from outbox where id in (${pending}, ${sent})`,
    )
    expect(left.map((r) => Number(r.id))).toEqual([pending])
    const timers = await f.db.query<{ id: number | string }>(
      sql`select id from timers where kind = 'swept'`,
    )
    expect(timers.map((r) => Number(r.id))).toEqual([unfired.id])
  })

  it('gives a batch back when the queue refuses it, and delivers it once the queue is back', async () => {
    await markAllDelivered(f.db)
    const ids = await writeEvents(f.db, 30, 'refused')
    let down = true
    const { handlers, queue } = processParts()
    const flaky: JobQueue = {
      ...queue,
      add: (job) => (down ? Promise.reject(new Error('connection refused')) : queue.add(job)),
    }
    handlers.onEvent('refused', (ctx, e) => recordEffect(ctx.db, 'refused', String(e.id)))
    await expect(dispatchOutbox(f.db, flaky)).rejects.toThrow('connection refused')
    expect(await undelivered(f.db)).toBe(30)
    down = false
    const automation = startAutomation({
      db: f.db,
      queue: flaky,
      clock: manualClock('2026-03-01T00:00:00Z'),
      log: quietLog,
      handlers,
      worker: true,
      pollMs: 60_000,
    })
    cleanup.push(async () => (await automation.stop(), await queue.close()))
    await automation.poll()
    await queue.idle()
    expect(
      (await effectsOf(f.db, 'refused')).map((e) => Number(e.ref)).sort((x, y) => x - y),
    ).toEqual(ids)
  })

  it('loses no event while Redis is down, and delivers each once when it is back', async () => {
    await markAllDelivered(f.db)
    const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
    cleanup.push(() => dropPrefix(prefix))
    const away = await createQueue({ redisUrl: DOWN_URL, prefix, addTimeoutMs: 300 })
    cleanup.push(() => away.close())
    const ids = await writeEvents(f.db, 40, 'redis-down')
    await expect(dispatchOutbox(f.db, away)).rejects.toThrow()
    expect(await undelivered(f.db)).toBe(40)
    const back = await createQueue({ redisUrl: REDIS_URL, prefix, backoffMs: 20 })
    const handlers = createHandlerRegistry()
    handlers.onEvent('redis-down', (ctx, e) => recordEffect(ctx.db, 'redis-down', String(e.id)))
    const clock = manualClock('2026-03-01T00:00:00Z')
    const automation = startAutomation({
      ...{ db: f.db, queue: back, clock, log: quietLog, handlers },
      worker: true,
      pollMs: 50,
    })
    cleanup.push(async () => (await automation.stop(), await back.close()))
    await waitFor(async () => (await effectsOf(f.db, 'redis-down')).length >= 40)
    await back.idle()
    const seen = (await effectsOf(f.db, 'redis-down')).map((e) => Number(e.ref))
    expect(seen.sort((x, y) => x - y)).toEqual(ids)
    expect(await undelivered(f.db)).toBe(0)
  })

  it('handles each of 2,000 events once with two dispatchers and two workers on BullMQ', async () => {
    await markAllDelivered(f.db)
    const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
    cleanup.push(() => dropPrefix(prefix))
    const clock = manualClock('2026-03-01T00:00:00Z')
    const names = ['bull-a', 'bull-b']
    const processes = await Promise.all(
      [false, false, true, true].map(async (worker) => {
        const db = await f.other()
        const queue = await createQueue({ redisUrl: REDIS_URL, prefix, backoffMs: 20 })
        const handlers = createHandlerRegistry()
        for (const name of names)
          handlers.onEvent(name, (ctx, e) => recordEffect(ctx.db, name, String(e.id)))
        if (worker) {
          registerJobHandlers({ db, queue, clock, log: quietLog }, handlers, { concurrency: 8 })
          cleanup.push(() => queue.close())
          return queue
        }
        const automation = startAutomation({
          db,
          queue,
          clock,
          log: quietLog,
          handlers,
          worker,
          pollMs: 20,
        })
        cleanup.push(async () => (await automation.stop(), await queue.close()))
        return queue
      }),
    )
    const ids = (
      await Promise.all(Array.from({ length: 100 }, () => writeEvents(f.db, 20, 'bull')))
    ).flat()
    await waitFor(async () => (await undelivered(f.db)) === 0)
    await processes[2].idle(60_000)
    for (const name of names) {
      const seen = (await effectsOf(f.db, name)).map((e) => Number(e.ref))
      expect(seen).toHaveLength(2000)
      expect(new Set(seen)).toEqual(new Set(ids))
    }
  })

  it('handles each of 2,000 events once with two dispatching processes writing meanwhile', async () => {
    await markAllDelivered(f.db)
    const a = startProcess(f.db, true, ['race-a', 'race-b'])
    const b = startProcess(await f.other(), true, ['race-a', 'race-b'])
    const ids = (
      await Promise.all(Array.from({ length: 100 }, () => writeEvents(f.db, 20, 'race')))
    ).flat()
    await waitFor(async () => (await undelivered(f.db)) === 0)
    await Promise.all([a.queue.idle(), b.queue.idle()])
    for (const name of ['race-a', 'race-b']) {
      const seen = (await effectsOf(f.db, name)).map((e) => Number(e.ref))
      expect(seen).toHaveLength(2000)
      expect(new Set(seen)).toEqual(new Set(ids))
    }
  })
})

/** Polls `check` until it holds (at most 30 s). */
async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error('gave up waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.each(testTargets())('/api/health on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  it('shows the engine to administrators only', async () => {
    await f.db.query(sql`update outbox set delivered_at = now()`)
    await writeEvents(f.db, 3, 'health')
    await f.db.query(sql`update outbox set created_at = now() - interval '5 minutes'
      where delivered_at is null`)
    await scheduleTimer(f.db, { kind: 'health', key: 'due', dueAt: new Date(Date.now() - 1000) })
    await scheduleTimer(f.db, { kind: 'health', key: 'later', dueAt: new Date(Date.now() + 3.6e6) })
    await storeDeadLetter(f.db, {
      name: 'timer',
      key: 'timer:1',
      data: {},
      error: 'x',
      attempts: 5,
    })
    for (const token of [undefined, f.clerkToken]) {
      const res = await f.call('GET', '/api/health', { token })
      expect(await res.json()).toEqual({ status: 'ok', db: 'ok' })
    }
    const queue = processParts().queue
    const app = buildApp({
      db: f.db,
      log: pino({ level: 'silent' }),
      clock: systemClock,
      queue,
      metadata: createMetadataCache(f.db),
    })
    await queue.add({ name: 'nobody-works-this', key: 'k1', data: {} })
    const res = await app.request('/api/health', {
      headers: { authorization: `Bearer ${f.adminToken}` },
    })
    const body = (await res.json()) as { jobs: Record<string, unknown> }
    expect(body.jobs).toMatchObject({
      queue: 'in-process',
      stats: { waiting: 1, active: 0, delayed: 0 },
      dueTimers: 1,
      openDeadLetters: 1,
      undeliveredEvents: 3,
    })
    expect(body.jobs.oldestUndeliveredMs).toBeGreaterThanOrEqual(5 * 60_000)
    await queue.close()
  })
})
