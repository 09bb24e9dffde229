import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import {
  createBullmqQueue,
  createInProcessQueue,
  scheduleTimer,
  storeDeadLetter,
  type JobInfo,
  type JobQueue,
} from '../../runtime/jobs'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { deleteRedisPrefix } from '../support/redis-prefix'
import { responseChecker, type Doc } from './openapi-doc-checks'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
let queues = 0
const QUEUE_KINDS: [string, () => JobQueue | Promise<JobQueue>][] = [
  ['in-process', () => createInProcessQueue()],
  ['BullMQ', () => createBullmqQueue({ redisUrl, prefix, queueName: `aj${++queues}` })],
]
afterAll(() => deleteRedisPrefix(redisUrl, prefix))

const OVERVIEW = '/api/admin/jobs'
const retryPath = (id: number | string) => `/api/admin/jobs/dead-letters/${id}/retry`
const RETRY_DOC = '/api/admin/jobs/dead-letters/{id}/retry'

interface Letter {
  id: number
  name: string
  key: string
  error: string
  attempts: number
  failedAt: string
  retriedAt: string | null
}
interface Overview {
  queue: { kind: string | null; stats: Record<string, number | null> | null }
  timers: { due: number; overdue: { kind: string; key: string; dueAt: string; attempts: number }[] }
  outbox: { undelivered: number; oldestMs: number | null }
  deadLetters: { open: number; data: Letter[]; next: string | null }
}
interface ErrorBody {
  error: { code: string; details: { path: string }[]; retriedAt?: string }
}

const letter = (key: string, name = 'probe') => ({
  name,
  key,
  data: { key },
  error: `${key} failed: downstream answered 503`,
  attempts: 5,
})

describe.each(testTargets())('the jobs admin API on $name', (target) => {
  let f: AppFixture
  let check: ReturnType<typeof responseChecker>
  beforeAll(async () => {
    f = await openAppFixture(target)
    check = responseChecker((await (await f.call('GET', '/api/openapi.json')).json()) as Doc)
  })
  afterAll(() => f?.close())

  /** Calls the app (the fixture's has no queue) and checks the answer against the document. */
  async function call(method: string, docPath: string, url: string, app = f.app, token = '') {
    const headers = { authorization: `Bearer ${token || f.adminToken}` }
    const res = await app.request(url, { method, headers })
    expect(await check(method.toLowerCase(), docPath, res)).toEqual([])
    return res
  }
  const overview = async (query = '', app = f.app) =>
    (await (await call('GET', OVERVIEW, OVERVIEW + query, app)).json()) as Overview
  const appWith = (queue: JobQueue) =>
    buildApp({
      db: f.db,
      log: pino({ level: 'silent' }),
      clock: systemClock,
      queue,
      metadata: createMetadataCache(f.db),
    })
  const errorPaths = async (res: Response) =>
    ((await res.json()) as ErrorBody).error.details.map((d) => d.path)

  it('answers 403 to a non-administrator and 401 without a session', async () => {
    await storeDeadLetter(f.db, letter('forbidden'))
    for (const [method, url, doc] of [
      ['GET', OVERVIEW, OVERVIEW],
      ['POST', retryPath(1), RETRY_DOC],
    ]) {
      expect((await call(method, doc, url, f.app, f.clerkToken)).status).toBe(403)
      expect((await f.app.request(url, { method })).status).toBe(401)
    }
    const [row] = await f.db.query<{ retried_at: unknown }>(
      sql`select retried_at from dead_letters where key = 'forbidden'`,
    )
    expect(row.retried_at).toBeNull()
  })

  it('counts due timers, undelivered events and open dead letters as the rows say', async () => {
    await f.db.query(sql`delete from timers`)
    await f.db.query(sql`delete from dead_letters`)
    await f.db.query(sql`update outbox set delivered_at = now() where delivered_at is null`)
    const now = Date.now()
    // 23 due (the oldest first in the list), one due later, one fired already.
    for (let i = 0; i < 23; i++) {
      const dueAt = new Date(now - (i + 1) * 60_000)
      await scheduleTimer(f.db, { kind: 'reminder', key: `due-${i}`, dueAt })
    }
    await scheduleTimer(f.db, { kind: 'reminder', key: 'later', dueAt: new Date(now + 3.6e6) })
    await scheduleTimer(f.db, { kind: 'reminder', key: 'fired', dueAt: new Date(now - 1000) })
    await f.db.query(sql`update timers set fired_at = now() where key = 'fired'`)
    await f.db.query(sql`update timers set attempts = 2 where key = 'due-22'`)
    await f.db.query(sql`insert into outbox (entity, record_id, event, payload, created_at)
      select 'customer', gen_random_uuid(), 'created', '{}'::jsonb, now() - interval '5 minutes'
      from generate_series(1, 4)`)
    for (const key of ['a', 'b', 'c']) await storeDeadLetter(f.db, letter(key))
    await f.db.query(sql`update dead_letters set retried_at = now() where key = 'a'`)

    const body = await overview()
    expect(body.queue).toEqual({ kind: null, stats: null })
    expect(body.timers.due).toBe(23)
    expect(body.timers.overdue).toHaveLength(20)
    expect(body.timers.overdue[0]).toMatchObject({ kind: 'reminder', key: 'due-22', attempts: 2 })
    expect(body.timers.overdue.map((t) => t.key)).toEqual(
      Array.from({ length: 20 }, (_, i) => `due-${22 - i}`),
    )
    expect(body.outbox.undelivered).toBe(4)
    expect(body.outbox.oldestMs).toBeGreaterThanOrEqual(5 * 60_000)
    expect(body.deadLetters.open).toBe(2)
    expect(body.deadLetters.data.map((d) => d.key)).toEqual(['c', 'b', 'a'])
    expect(body.deadLetters.data[0]).toEqual({
      id: expect.any(Number),
      name: 'probe',
      key: 'c',
      error: 'c failed: downstream answered 503',
      attempts: 5,
      failedAt: expect.any(String),
      retriedAt: null,
    })
    expect(body.deadLetters.data[2].retriedAt).not.toBeNull()
    expect((await overview('?open=true')).deadLetters.data.map((d) => d.key)).toEqual(['c', 'b'])
  })

  it('pages dead letters newest first, ties by id, without gaps or repeats', async () => {
    await f.db.query(sql`delete from dead_letters`)
    for (let i = 0; i < 7; i++) await storeDeadLetter(f.db, letter(`page-${i}`))
    // Three failed in the same instant: the id orders them.
    await f.db.query(sql`update dead_letters set failed_at = '2026-01-01T00:00:00.123456Z'
      where key in ('page-1', 'page-2', 'page-3')`)
    const seen: string[] = []
    let query = '?limit=3'
    for (let pages = 0; pages < 5; pages++) {
      const { deadLetters } = await overview(query)
      seen.push(...deadLetters.data.map((d) => d.key))
      if (!deadLetters.next) break
      expect(deadLetters.data).toHaveLength(3)
      query = `?limit=3&before=${deadLetters.next}`
    }
    expect(seen).toEqual(['page-6', 'page-5', 'page-4', 'page-0', 'page-3', 'page-2', 'page-1'])
    expect((await overview('?limit=7')).deadLetters.next).toBeNull()
  })

  it('refuses a bad limit, cursor or parameter with 400 naming it', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=abc', 'limit'],
      ['?before=abc', 'before'],
      ['?before=-1', 'before'],
      ["?before=1'%20or%201=1", 'before'],
      ['?open=yes', 'open'],
      ['?sort=id', 'sort'],
    ]
    for (const [query, path] of cases) {
      const res = await call('GET', OVERVIEW, OVERVIEW + query)
      expect(res.status, query).toBe(400)
      expect(await errorPaths(res), query).toEqual([path])
    }
  })

  describe.each(QUEUE_KINDS)('with the %s queue', (_kind, makeQueue) => {
    let queue: JobQueue
    const ran: { data: unknown; job: JobInfo }[] = []
    beforeAll(async () => {
      queue = await makeQueue()
      queue.work('probe', async (data, job) => void ran.push({ data, job }))
    })
    afterAll(() => queue?.close())

    it('shows the counts and lag of a queue no worker takes from', async () => {
      const idle = await makeQueue()
      try {
        await idle.add({ name: 'probe', key: 'waits', data: {} })
        await idle.add({ name: 'probe', key: 'later', data: {}, delayMs: 3_600_000 })
        await new Promise((r) => setTimeout(r, 20))
        const { queue: shown } = await overview('', appWith(idle))
        expect(shown.kind).toBe(queue.kind)
        expect(shown.stats).toMatchObject({ waiting: 1, active: 0, delayed: 1 })
        expect(shown.stats?.lagMs).toBeGreaterThanOrEqual(20)
      } finally {
        await idle.close()
      }
    })

    it('retries a dead letter once: the queue runs its job and the letter shows retried', async () => {
      const app = appWith(queue)
      const stored = await storeDeadLetter(f.db, letter(`retry-${queue.kind}`))
      const before = (await overview('', app)).deadLetters.open
      const res = await call('POST', RETRY_DOC, retryPath(stored.id), app)
      expect(res.status).toBe(200)
      const retried = (await res.json()) as Letter & { retryKey: string }
      expect(retried).toMatchObject({
        id: stored.id,
        key: stored.key,
        retryKey: `${stored.key}#retry1`,
      })
      expect(retried.retriedAt).not.toBeNull()
      const until = Date.now() + 20_000
      while (!ran.some((r) => r.job.key === retried.retryKey) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50))
      expect(ran.filter((r) => r.job.key === retried.retryKey)).toEqual([
        { data: { key: stored.key }, job: { name: 'probe', key: retried.retryKey, attempt: 1 } },
      ])
      const after = await overview('', app)
      expect(after.deadLetters.open).toBe(before - 1)
      expect(after.deadLetters.data.find((d) => d.id === stored.id)?.retriedAt).toBe(
        retried.retriedAt,
      )
      const again = await call('POST', RETRY_DOC, retryPath(stored.id), app)
      expect(again.status).toBe(409)
      expect(((await again.json()) as ErrorBody).error.retriedAt).toBe(retried.retriedAt)
    })

    it('answers 400 naming the id to a bad one and 404 to an unknown one', async () => {
      const app = appWith(queue)
      for (const id of ['abc', '0', '1.5', '99999999999999999999']) {
        const res = await call('POST', RETRY_DOC, retryPath(id), app)
        expect(res.status, id).toBe(400)
        expect(await errorPaths(res)).toEqual(['id'])
      }
      expect((await call('POST', RETRY_DOC, retryPath(987_654), app)).status).toBe(404)
    })
  })

  it('without a queue in the process answers stats as unknown and a retry with 409', async () => {
    const stored = await storeDeadLetter(f.db, letter('no-queue'))
    expect((await overview()).queue).toEqual({ kind: null, stats: null })
    const res = await call('POST', RETRY_DOC, retryPath(stored.id))
    expect(res.status).toBe(409)
    expect((await call('POST', RETRY_DOC, retryPath('abc'))).status).toBe(400)
    const [row] = await f.db.query<{ retried_at: unknown }>(
      sql`select retried_at from dead_letters where id = ${stored.id}`,
    )
    expect(row.retried_at).toBeNull()
  })
})
