import type { ServerType } from '@hono/node-server'
import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { openDb, type Db } from '../../runtime/db'
import { notificationHub, notify } from '../../runtime/notifications'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp, type AppEnv } from '../../server/app'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { listen, listenWithHeartbeat, openStream, urlOf } from '../support/sse-client'

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 5000
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe.each(testTargets())('the notification stream over HTTP on $name', (target) => {
  let f: AppFixture
  let server: ServerType
  let url: string
  /** A second API "process": its own connection pool (PostgreSQL) and its own app. */
  let otherDb: Db
  let otherApp: Hono<AppEnv>
  let clerkId: string
  let adminId: string
  const log = pino({ level: 'silent' })

  beforeAll(async () => {
    let dbUrl: string | undefined
    f = await openAppFixture({
      name: target.name,
      open: async () => {
        const opened = await target.open()
        dbUrl = opened.url
        return opened
      },
    })
    server = await listen(f.app.fetch)
    url = urlOf(server)
    otherDb = dbUrl ? await openDb({ url: dbUrl, max: 2 }) : f.db
    const metadata = createMetadataCache(otherDb)
    otherApp = buildApp({ db: otherDb, clock: systemClock, log, metadata })
    const users = await f.db.query<{ id: string; username: string }>(
      sql`select id::text as id, username from users`,
    )
    clerkId = users.find((u) => u.username === 'clerk')!.id
    adminId = users.find((u) => u.username === 'admin')!.id
  })
  afterAll(async () => {
    await new Promise((r) => server?.close(r))
    if (otherDb && otherDb !== f.db) await otherDb.close()
    await f?.close()
  })

  it('sends the count on connect and after a notify made on another connection', async () => {
    await notify(f.db, { userId: clerkId, title: 'Before 1', key: 's-before-1' })
    await notify(f.db, { userId: clerkId, title: 'Before 2', key: 's-before-2' })
    const stream = await openStream(`${url}/stream`, f.clerkToken)
    try {
      expect(await stream.nextCount()).toBe(2)
      await notify(otherDb, { userId: clerkId, title: 'Live', key: 's-live-1' })
      expect(await stream.nextCount()).toBe(3)
      // The same key again stores nothing and announces nothing: the next count is the read's.
      await notify(otherDb, { userId: clerkId, title: 'Live', key: 's-live-1' })
      const listed = await f.call('GET', '/api/notifications', { token: f.clerkToken })
      const [first] = ((await listed.json()) as { data: { id: string }[] }).data
      const marked = await otherApp.request(`/api/notifications/${first.id}/read`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.clerkToken}` },
      })
      expect(marked.status).toBe(200)
      expect(await stream.nextCount()).toBe(2)
      const all = await otherApp.request('/api/notifications/read-all', {
        method: 'POST',
        headers: { authorization: `Bearer ${f.clerkToken}` },
      })
      expect(all.status).toBe(200)
      expect(await stream.nextCount()).toBe(0)
    } finally {
      stream.close()
    }
  })

  it('shares one LISTEN among every stream and sends each user only their own count', async () => {
    const hub = notificationHub(f.db)
    const streams = [
      await openStream(`${url}/stream`, f.clerkToken),
      await openStream(`${url}/stream`, f.clerkToken),
      await openStream(`${url}/stream`, f.adminToken),
    ]
    try {
      const start = await Promise.all(streams.map((s) => s.nextCount()))
      expect(start).toEqual([0, 0, 0])
      expect(hub.size).toBe(3)
      expect(hub.listens).toBe(1)
      if (target.name === 'postgres') {
        const [{ n }] = await otherDb.query<{ n: number }>(sql`select count(*)::int as n
          from pg_stat_activity where datname = current_database() and query ilike 'listen%'`)
        expect(n).toBe(1)
      }
      await notify(otherDb, { userId: adminId, title: 'For admin', key: 's-admin-1' })
      expect(await streams[2].nextCount()).toBe(1)
      await notify(otherDb, { userId: clerkId, title: 'For clerk', key: 's-clerk-9' })
      // Both of the clerk's tabs get it; the admin's stream stays quiet.
      expect(await streams[0].nextCount()).toBe(1)
      expect(await streams[1].nextCount()).toBe(1)
      await expect(streams[2].next(300)).rejects.toThrow('no event in time')
    } finally {
      for (const s of streams) s.close()
    }
    await until(() => hub.size === 0, 'the streams to be let go')
  })

  it('sends a heartbeat comment and catches up a count whose notice was lost', async () => {
    const quick = await listenWithHeartbeat(f.db, 150)
    const stream = await openStream(`${urlOf(quick)}/stream`, f.clerkToken)
    try {
      const start = await stream.nextCount()
      let item = await stream.next()
      while (item.comment === undefined) item = await stream.next()
      expect(item.comment).toBe('heartbeat')
      // Stored without NOTIFY, as if the notice was lost while a connection was down.
      await f.db.query(sql`insert into notifications (user_id, title, key)
        values (${clerkId}::uuid, 'Silent', 's-silent')`)
      expect(await stream.nextCount(2000)).toBe(start + 1)
    } finally {
      stream.close()
      await new Promise((r) => quick.close(r))
    }
  })

  it('refuses a request that does not accept an event stream, and one without a session', async () => {
    const plain = await fetch(`${url}/stream`, {
      headers: { authorization: `Bearer ${f.clerkToken}` },
    })
    expect(plain.status).toBe(400)
    const body = (await plain.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details.map((d) => d.path)).toEqual(['accept'])
    const anonymous = await fetch(`${url}/stream`, { headers: { accept: 'text/event-stream' } })
    expect(anonymous.status).toBe(401)
    await anonymous.text()
  })
})
