import type { ServerType } from '@hono/node-server'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../../runtime/identity'
import { notify } from '../../runtime/notifications'
import { ADMIN, CLERK, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import {
  listen,
  listenWithHeartbeat,
  openStream,
  urlOf,
  type SseClient,
} from '../support/sse-client'

/** Reads until the server ends the stream; answers the events it sent on the way. */
async function untilEnded(stream: SseClient): Promise<string[]> {
  const events: string[] = []
  // Heartbeats keep a stream that never ends busy: give up after a while instead.
  const end = Date.now() + 10_000
  while (Date.now() < end) {
    try {
      const item = await stream.next(5000)
      if (item.event) events.push(item.event)
    } catch (err) {
      if ((err as Error).message === 'stream ended') return events
      throw err
    }
  }
  throw new Error(`the stream did not end (events: ${events.join(', ')})`)
}

describe.each(testTargets())(
  'the notification stream of a signed-out caller on $name',
  (target) => {
    let f: AppFixture
    let server: ServerType
    let url: string
    let clerkId: string
    let adminId: string
    beforeAll(async () => {
      f = await openAppFixture(target)
      server = await listen(f.app.fetch)
      url = `${urlOf(server)}/stream`
      const users = await f.db.query<{ id: string; username: string }>(
        sql`select id::text as id, username from users`,
      )
      clerkId = users.find((u) => u.username === 'clerk')!.id
      adminId = users.find((u) => u.username === 'admin')!.id
    })
    afterAll(async () => {
      await new Promise((r) => server?.close(r))
      await f?.close()
    })

    const signIn = async (who = CLERK) => {
      const res = await f.call('POST', '/api/auth/login', { body: who })
      expect(res.status).toBe(200)
      return ((await res.json()) as { token: string }).token
    }

    it('ends the stream of a session that logs out, and only that session’s', async () => {
      const [gone, kept] = [await signIn(), await signIn()]
      const closing = await openStream(url, gone)
      const staying = await openStream(url, kept)
      try {
        const start = await closing.nextCount()
        expect(await staying.nextCount()).toBe(start)
        const out = await f.call('POST', '/api/auth/logout', { token: gone })
        expect(out.status).toBe(204)
        expect(await untilEnded(closing)).toEqual(['signedOut'])
        // The other tab of the same user is still signed in and still told.
        await notify(f.db, { userId: clerkId, title: 'Still here', key: 'signout-kept-1' })
        expect(await staying.nextCount()).toBe(start + 1)
      } finally {
        closing.close()
        staying.close()
      }
    })

    it('ends a stream opened with an API token when the token is revoked', async () => {
      const session = await signIn()
      const made = await f.call('POST', '/api/auth/tokens', {
        token: session,
        body: { name: 'stream' },
      })
      expect(made.status).toBe(201)
      const { token, id } = (await made.json()) as { token: string; id: string }
      const stream = await openStream(url, token)
      try {
        await stream.nextCount()
        const revoked = await f.call('DELETE', `/api/auth/tokens/${id}`, { token: session })
        expect(revoked.status).toBeLessThan(300)
        expect(await untilEnded(stream)).toEqual(['signedOut'])
      } finally {
        stream.close()
      }
    })

    it('ends a session’s stream whose end was never announced, at the next heartbeat', async () => {
      const quick = await listenWithHeartbeat(f.db, 100)
      const token = await signIn()
      const stream = await openStream(`${urlOf(quick)}/stream`, token)
      try {
        await stream.nextCount()
        // Gone without a NOTIFY, as if the notice was lost while a connection was down.
        await f.db.query(sql`delete from sessions where token_hash = ${hashToken(token)}`)
        expect(await untilEnded(stream)).toEqual(['signedOut'])
      } finally {
        stream.close()
        await new Promise((r) => quick.close(r))
      }
    })

    it('ends every stream of a user an administrator disables', async () => {
      const streams = [await openStream(url, await signIn()), await openStream(url, await signIn())]
      const adminStream = await openStream(url, await signIn(ADMIN))
      try {
        for (const s of [...streams, adminStream]) await s.nextCount()
        const res = await f.call('PATCH', `/api/admin/users/${clerkId}`, {
          token: f.adminToken,
          body: { disabled: true },
        })
        expect(res.status, await res.clone().text()).toBe(200)
        for (const s of streams) expect(await untilEnded(s)).toEqual(['signedOut'])
        // Someone else's stream goes on.
        await notify(f.db, { userId: adminId, title: 'Admin still here', key: 'signout-admin-1' })
        expect(await adminStream.nextCount()).toBeGreaterThan(0)
      } finally {
        for (const s of [...streams, adminStream]) s.close()
      }
    })
  },
)
