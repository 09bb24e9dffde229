import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../runtime/clock'
import { TooManyRequestsError } from '../../runtime/errors'
import {
  assertLoginAllowed,
  clearLoginFailures,
  createUser,
  recordLoginFailure,
  sweepLoginAttempts,
} from '../../runtime/identity'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { ADMIN, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

describe.each(testTargets())('login throttle on $name', (target) => {
  let f: AppFixture
  let at = Date.parse('2026-03-01T09:00:00.000Z')
  const clock: Clock = { now: () => new Date(at) }
  const ctx = () => ({ db: f.db, clock })
  beforeAll(async () => {
    f = await openAppFixture(target, { clock })
  })
  afterAll(() => f?.close())

  it('shares the failure count between two app instances over one database', async () => {
    await createUser(
      { db: f.db },
      { username: 'shared', password: 'the-right-one', displayName: 'S' },
    )
    // A second process: its own app, limiter and caches, the same database.
    const other = buildApp({
      db: f.db,
      clock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(f.db),
    })
    const attempt = (app: typeof other, password: string) =>
      app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'shared', password }),
      })
    for (let i = 0; i < 5; i++) expect((await attempt(f.app, `wrong-${i}`)).status).toBe(401)
    for (let i = 5; i < 10; i++) expect((await attempt(other, `wrong-${i}`)).status).toBe(401)
    for (const app of [f.app, other]) {
      const blocked = await attempt(app, 'the-right-one')
      expect(blocked.status).toBe(429)
      expect(Number(blocked.headers.get('retry-after'))).toBe(15 * 60)
    }
    at += 15 * 60 * 1000
    expect((await attempt(other, 'the-right-one')).status).toBe(200)
    expect((await f.call('POST', '/api/auth/login', { body: ADMIN })).status).toBe(200)
  })

  it('blocks a key at its limit until the window that the first failure started is over', async () => {
    const start = at
    for (let i = 0; i < 3; i++) {
      await assertLoginAllowed(ctx(), 'k:ana')
      await recordLoginFailure(ctx(), 'k:ana', { maxFailures: 3, windowMs: 10_000 })
      at += 1000
    }
    await expect(assertLoginAllowed(ctx(), 'k:ana')).rejects.toMatchObject({
      status: 429,
      extra: { retryAfter: 7 },
    })
    await expect(assertLoginAllowed(ctx(), 'k:bob')).resolves.toBeUndefined()
    at = start + 10_000
    await expect(assertLoginAllowed(ctx(), 'k:ana')).resolves.toBeUndefined()
    // The next failure opens a fresh window with a count of one.
    await recordLoginFailure(ctx(), 'k:ana', { maxFailures: 3, windowMs: 10_000 })
    await expect(assertLoginAllowed(ctx(), 'k:ana')).resolves.toBeUndefined()
  })

  it('forgets a key after a success', async () => {
    await recordLoginFailure(ctx(), 'k:cleared', { maxFailures: 1 })
    await expect(assertLoginAllowed(ctx(), 'k:cleared')).rejects.toBeInstanceOf(
      TooManyRequestsError,
    )
    await clearLoginFailures(ctx(), 'k:cleared')
    await expect(assertLoginAllowed(ctx(), 'k:cleared')).resolves.toBeUndefined()
  })

  it('sweeps finished windows but keeps running and blocking ones', async () => {
    const options = { maxFailures: 2, windowMs: 10_000 }
    await recordLoginFailure(ctx(), 'k:old', options)
    at += 5_000
    await recordLoginFailure(ctx(), 'k:blocked', options)
    await recordLoginFailure(ctx(), 'k:blocked', options)
    at += 6_000
    await sweepLoginAttempts(ctx(), options)
    const keys = await f.db.query<{ key: string }>(
      sql`select key from login_attempts where key like 'k:%' order by key`,
    )
    expect(keys.map((k) => k.key)).toContain('k:blocked')
    expect(keys.map((k) => k.key)).not.toContain('k:old')
    await expect(assertLoginAllowed(ctx(), 'k:blocked')).rejects.toBeInstanceOf(
      TooManyRequestsError,
    )
  })
})
