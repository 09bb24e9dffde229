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

describe.runIf(onPostgres)('automation through faults: 2 APIs, 2 workers, private PostgreSQL and Redis', () => {
  let pg: PrivatePostgres
  let redis: PrivateRedis
  let db: Db
  let watcherId: string
  let token: string
  const apis: TrellisProcess[] = []
  const workers: TrellisProcess[] = []

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
    const env = {
      DATABASE_URL: url,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      TRELLIS_REDIS_PREFIX: `trellis-faults-${randomBytes(4).toString('hex')}`,
      // The APIs only dispatch events and timers; the two workers run every job.
      TRELLIS_API_JOBS: 'false',
    }
    const started = await Promise.all([
      startTrellisProcess('start', env),
      startTrellisProcess('start', env),
      startTrellisProcess('worker', env),
      startTrellisProcess('worker', env),
    ])
    apis.push(...started.slice(0, 2))
    workers.push(...started.slice(2))
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
    await redis?.stop()
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
})
