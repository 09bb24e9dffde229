import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import type { Entity } from '../../metadata/entity'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import { scheduleTimer } from '../../runtime/jobs'
import { publishMetadata } from '../../runtime/registry'
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres'
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis'
import { startTrellisProcess, type TrellisProcess } from '../support/trellis-process'

// Real processes on a PostgreSQL cluster and a Redis of this file's own (both are stopped on
// purpose), so it runs where the PostgreSQL suite runs: PGlite cannot have several processes.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL)
const label = (en: string) => ({ en, 'zh-CN': en, ko: en })
const PASSWORD = 'writer-password-1'

const ticket: Entity = {
  id: 'ticket',
  label: label('Ticket'),
  titleField: 'title',
  fields: [{ name: 'title', type: 'text', label: label('Title'), required: true }],
}

const ticketCreated: Alert = {
  id: 'ticket-created',
  label: label('New ticket'),
  entity: 'ticket',
  trigger: { type: 'created' },
  recipients: [{ type: 'users', usernames: ['watcher'] }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 'New ticket {{record.title}}', body: 'Look at it.' } },
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitFor(what: string, check: () => Promise<boolean>, ms = 120_000) {
  const until = Date.now() + ms
  for (;;) {
    try {
      if (await check()) return
    } catch {
      // The database may be restarting: ask again.
    }
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`)
    await sleep(250)
  }
}

describe.runIf(onPostgres)(
  'automation through faults: 2 APIs, 2 workers, private PostgreSQL and Redis',
  () => {
    let pg: PrivatePostgres
    let redis: PrivateRedis
    let db: Db
    let watcherId: string
    let token: string
    const apis: TrellisProcess[] = []
    const workers: TrellisProcess[] = []
    let env: Record<string, string>

    /** Two APIs and two workers on the private database and Redis. */
    async function startProcesses() {
      const settled = await Promise.allSettled([
        startTrellisProcess('start', env),
        startTrellisProcess('start', env),
        startTrellisProcess('worker', env),
        startTrellisProcess('worker', env),
      ])
      const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      const failed = settled.find((r) => r.status === 'rejected')
      if (failed) {
        await Promise.all(started.map((p) => p.stop()))
        throw failed.reason
      }
      apis.splice(0, 2, ...started.slice(0, 2))
      workers.splice(0, 2, ...started.slice(2))
    }

    beforeAll(async () => {
      pg = await startPrivatePostgres()
      redis = await startPrivateRedis({ durable: true })
      const admin = postgres(pg.url, { max: 1, onnotice: () => {} })
      await admin.unsafe('create database trellis')
      await admin.end()
      const url = pg.url.replace(/\/postgres$/, '/trellis')
      db = await openDb({ url, max: 4 })
      await migratePlatform(db)
      const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger }
      await publishMetadata(ctx, {
        ...{ packages: [], entities: [ticket], forms: [], views: [], roles: [] },
        alerts: [ticketCreated],
      })
      const user = (username: string) =>
        createUser({ db }, { username, password: PASSWORD, displayName: username, isAdmin: true })
      await user('writer')
      watcherId = (await user('watcher')).id
      env = {
        DATABASE_URL: url,
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        TRELLIS_REDIS_PREFIX: `trellis-faults-${randomBytes(4).toString('hex')}`,
        // The APIs only dispatch events and timers; the two workers run every job.
        TRELLIS_API_JOBS: 'false',
      }
      await startProcesses()
      const res = await fetch(`${apis[0].url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'writer', password: PASSWORD }),
      })
      token = ((await res.json()) as { token: string }).token
    }, 300_000)

    afterAll(async () => {
      await Promise.all([...apis, ...workers].map((p) => p.stop()))
      await db?.close()
      await redis?.destroy()
      await pg?.destroy()
    })

    /** Creates a ticket through `api`; answers its id, or the HTTP status when it failed. */
    async function createTicket(api: TrellisProcess, title: string): Promise<string | number> {
      try {
        const res = await fetch(`${api.url}/api/data/ticket`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title }),
        })
        if (res.status !== 201) return res.status
        return String(((await res.json()) as { id: string | number }).id)
      } catch {
        return 0 // no answer at all
      }
    }

    /** How many `ticket-created` notifications each record got. */
    async function notified(): Promise<Map<string, number>> {
      const rows = await db.query<{ record_id: string; n: number }>(sql`
      select record_id::text, count(*)::int as n from notifications
      where alert = 'ticket-created' and user_id = ${watcherId}::uuid group by record_id`)
      return new Map(rows.map((r) => [r.record_id, r.n]))
    }

    /** Waits until every record in `ids` was notified, then expects each exactly once. */
    async function expectNotifiedOnce(ids: string[]) {
      await waitFor(`notifications for ${ids.length} tickets`, async () => {
        const seen = await notified()
        return ids.every((id) => seen.has(id))
      })
      await sleep(2000) // a duplicate delivery would land now
      const seen = await notified()
      expect(ids.map((id) => seen.get(id))).toEqual(ids.map(() => 1))
      const [{ left }] = await db.query<{ left: number }>(
        sql`select count(*)::int as left from outbox where delivered_at is null`,
      )
      expect(left).toBe(0)
    }

    it('notifies each of 60 tickets written through two APIs exactly once, across two workers', async () => {
      const ids = await Promise.all(
        Array.from({ length: 60 }, (_, i) => createTicket(apis[i % 2], `parallel ${i}`)),
      )
      expect(ids.filter((id) => typeof id === 'number')).toEqual([])
      await expectNotifiedOnce(ids as string[])
      expect(await notified()).toHaveProperty('size', 60)
    }, 180_000)

    /**
     * Writes a ticket every 100 ms, alternating the APIs, until `stop` is called; answers what
     * each write gave (an id, or a failing status) and when it was written.
     */
    function keepWriting(name: string) {
      const written: { at: number; result: string | number }[] = []
      let going = true
      const loop = (async () => {
        for (let i = 0; going; i++) {
          written.push({ at: Date.now(), result: await createTicket(apis[i % 2], `${name} ${i}`) })
          await sleep(100)
        }
      })()
      return {
        written,
        stop: async () => ((going = false), await loop),
      }
    }

    it('loses no alert while Redis is down for 30 s under writes, and sends each once when it is back', async () => {
      const writes = keepWriting('redis')
      await sleep(2000)
      await redis.stop()
      const down = Date.now()
      await sleep(30_000)
      const up = Date.now()
      await redis.start()
      await sleep(2000)
      await writes.stop()

      // The API never needed Redis to write: every write succeeded, the outbox held the events.
      expect(writes.written.filter((w) => typeof w.result === 'number')).toEqual([])
      const during = writes.written.filter((w) => w.at > down && w.at < up)
      expect(during.length).toBeGreaterThan(20)
      await expectNotifiedOnce(writes.written.map((w) => w.result as string))
    }, 240_000)

    /** The watcher's reminders titled `title`, with when each was made. */
    const remindersOf = (title: string) =>
      db.query<{ created_at: Date | string }>(sql`
      select created_at from notifications where user_id = ${watcherId}::uuid and title = ${title}`)

    it('goes on after PostgreSQL restarts, without restarting a Trellis process', async () => {
      const before = await createTicket(apis[0], 'before the restart')
      expect(typeof before).toBe('string')
      // Falls due while the database is down: 10 s leaves `pg.stop()` time even on a loaded
      // machine, and the outage lasts until 3 s past the due time.
      const dueWhileDown = new Date(Date.now() + 10_000)
      const payload = { userId: watcherId, title: 'due while down' }
      await scheduleTimer(db, {
        kind: 'reminder',
        key: 'due-while-down',
        dueAt: dueWhileDown,
        payload,
      })
      await pg.stop()
      const stoppedAt = Date.now()
      expect(+dueWhileDown).toBeGreaterThan(stoppedAt) // it was not due before the outage began
      const refused = await createTicket(apis[1], 'while down')
      await sleep(Math.max(0, +dueWhileDown + 3000 - Date.now()))
      await pg.start()
      expect(refused).toBeGreaterThanOrEqual(500) // the outage was real: the write had nowhere to go

      // A pooled connection the restart closed may fail the first statement sent on it (the
      // driver then reconnects): each API must be writing again within seconds, by itself.
      for (const [n, api] of apis.entries()) {
        const end = Date.now() + 15_000
        let answer = await createTicket(api, `back ${n}`)
        while (typeof answer === 'number' && Date.now() < end) {
          await sleep(200)
          answer = await createTicket(api, `back ${n}`)
        }
        expect(typeof answer, `API ${n} writes again after the restart`).toBe('string')
      }
      const after: (string | number)[] = []
      for (let i = 0; i < 10; i++) after.push(await createTicket(apis[i % 2], `after ${i}`))
      expect(after.filter((id) => typeof id === 'number')).toEqual([])
      await scheduleTimer(db, {
        ...{ kind: 'reminder', key: 'due-after', dueAt: new Date(Date.now() + 1000) },
        payload: { userId: watcherId, title: 'due after' },
      })
      await expectNotifiedOnce([before, ...after] as string[])
      await waitFor('both reminders', async () => {
        const fired = [await remindersOf('due while down'), await remindersOf('due after')]
        return fired.every((rows) => rows.length > 0)
      })
      const [whileDown, ...again] = await remindersOf('due while down')
      expect(again).toEqual([])
      // Not due until the database was down, so it can only have fired after the restart.
      expect(+new Date(whileDown.created_at)).toBeGreaterThanOrEqual(+dueWhileDown)
      expect(await remindersOf('due after')).toHaveLength(1)
    }, 180_000)

    it('fires once, when the processes start again, each timer that fell due while none ran', async () => {
      await Promise.all([...apis, ...workers].map((p) => p.stop()))
      const due = Array.from({ length: 30 }, (_, i) => `missed ${i}`)
      for (const [i, title] of due.entries()) {
        const dueAt = new Date(Date.now() - (i + 1) * 60_000)
        await scheduleTimer(db, {
          kind: 'reminder',
          key: title,
          dueAt,
          payload: { userId: watcherId, title },
        })
      }
      const down = Date.now()
      await startProcesses()
      await waitFor('the missed reminders', async () => {
        const fired = await Promise.all(due.map(remindersOf))
        return fired.every((rows) => rows.length > 0)
      })
      await sleep(2000) // a second firing would land now
      const fired = await Promise.all(due.map(remindersOf))
      expect(fired.map((rows) => rows.length)).toEqual(due.map(() => 1))
      expect(fired.every(([row]) => +new Date(row.created_at) >= down)).toBe(true)
    }, 180_000)
  },
)
