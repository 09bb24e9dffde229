import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../runtime/clock'
import { TooManyRequestsError } from '../../runtime/errors'
import {
  countLoginAttempt,
  createUser,
  forgiveLoginAttempt,
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_PER_ADDRESS,
  LOGIN_MAX_PER_USERNAME,
  sweepLoginAttempts,
  type ThrottleKey,
} from '../../runtime/identity'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { ADMIN, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

const key = (name: string, limit: number, forgives = true): ThrottleKey => ({
  key: name,
  limit,
  forgives,
})

describe.each(testTargets())('login throttle on $name', (target) => {
  let f: AppFixture
  let at = Date.parse('2026-03-01T09:00:00.000Z')
  const clock: Clock = { now: () => new Date(at) }
  const ctx = () => ({ db: f.db, clock })
  beforeAll(async () => {
    f = await openAppFixture(target, { clock })
  })
  afterAll(() => f?.close())

  /** A sign-in as a browser at `address` would send it (the app reads the peer address). */
  const loginFrom = (address: string, username: string, password: string) =>
    f.app.request(
      '/api/auth/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      },
      {
        incoming: {
          headers: { 'content-type': 'application/json' },
          socket: { remoteAddress: address },
        },
      },
    )
  /** Moves the clock past every window, so each test starts with no counts. */
  const nextWindow = () => {
    at += 16 * 60 * 1000
  }

  it('shares the count between two app instances over one database', async () => {
    nextWindow()
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

  it('refuses the try past the limit until the window that the first try started is over', async () => {
    nextWindow()
    const start = at
    const options = { windowMs: 10_000 }
    for (let i = 0; i < 3; i++) {
      await countLoginAttempt(ctx(), [key('k:ana', 3)], options)
      at += 1000
    }
    await expect(countLoginAttempt(ctx(), [key('k:ana', 3)], options)).rejects.toMatchObject({
      status: 429,
      extra: { retryAfter: 7 },
    })
    await expect(countLoginAttempt(ctx(), [key('k:bob', 3)], options)).resolves.toBeDefined()
    at = start + 10_000
    // The window is over: a fresh one starts with a count of one.
    const fresh = await countLoginAttempt(ctx(), [key('k:ana', 3)], options)
    expect(fresh.counts[0].count).toBe(1)
  })

  it('forgives the tries before a success on forgiving keys, only its own try on the others', async () => {
    nextWindow()
    const user = key('k:carol', 3)
    const address = key('k:10.0.0.9', 3, false)
    await countLoginAttempt(ctx(), [user, address])
    await countLoginAttempt(ctx(), [user, address])
    const success = await countLoginAttempt(ctx(), [user, address])
    await forgiveLoginAttempt(ctx(), success)
    const rows = await f.db.query<{ key: string; failures: number }>(
      sql`select key, failures from login_attempts where key like 'k:%' order by key`,
    )
    expect(rows).toContainEqual({ key: 'k:carol', failures: 0 })
    expect(rows).toContainEqual({ key: 'k:10.0.0.9', failures: 2 })
    await countLoginAttempt(ctx(), [address])
    await expect(countLoginAttempt(ctx(), [address])).rejects.toBeInstanceOf(TooManyRequestsError)
  })

  it('sweeps finished windows but keeps running ones', async () => {
    nextWindow()
    const options = { windowMs: 10_000 }
    await countLoginAttempt(ctx(), [key('k:old', 2)], options)
    at += 5_000
    await countLoginAttempt(ctx(), [key('k:running', 2)], options)
    await countLoginAttempt(ctx(), [key('k:running', 2)], options)
    at += 6_000
    await sweepLoginAttempts(ctx(), options)
    const keys = await f.db.query<{ key: string }>(
      sql`select key from login_attempts where key like 'k:%' order by key`,
    )
    expect(keys.map((k) => k.key)).toContain('k:running')
    expect(keys.map((k) => k.key)).not.toContain('k:old')
    await expect(countLoginAttempt(ctx(), [key('k:running', 2)], options)).rejects.toBeInstanceOf(
      TooManyRequestsError,
    )
  })

  it('checks no more than the limit of 60 parallel tries, refusing the right password at #45', async () => {
    nextWindow()
    await createUser(
      { db: f.db },
      { username: 'par60', password: 'right-password-60', displayName: 'P' },
    )
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        loginFrom('10.1.0.1', 'par60', i === 44 ? 'right-password-60' : `wrong-${i}`),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses[44]).toBe(429)
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(LOGIN_MAX_FAILURES)
    expect(statuses.every((s) => [401, 429].includes(s))).toBe(true)
  })

  it('checks at most the limit of 300 parallel guesses', async () => {
    nextWindow()
    await createUser(
      { db: f.db },
      { username: 'par300', password: 'right-password-300', displayName: 'P' },
    )
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => loginFrom('10.1.0.2', 'par300', `wrong-${i}`)),
    )
    const evaluated = responses.filter((r) => r.status === 401).length
    expect(evaluated).toBe(LOGIN_MAX_FAILURES)
    expect(responses.filter((r) => r.status === 429).length).toBe(300 - LOGIN_MAX_FAILURES)
  })

  it('limits one address over many usernames, known and unknown', async () => {
    nextWindow()
    for (let u = 0; u < 8; u++) {
      await createUser(
        { db: f.db },
        { username: `spread${u}`, password: 'right-password-s', displayName: 'S' },
      )
    }
    const statuses: number[] = []
    for (let i = 0; i < 24; i++)
      statuses.push((await loginFrom('10.2.0.1', `spread${i % 8}`, `wrong-${i}`)).status)
    for (let i = 0; i < 40; i++)
      statuses.push((await loginFrom('10.2.0.1', `nobody${i}`, 'guess')).status)
    expect(statuses.filter((s) => s === 401).length).toBe(LOGIN_MAX_PER_ADDRESS)
    expect(statuses.slice(LOGIN_MAX_PER_ADDRESS).every((s) => s === 429)).toBe(true)
    // Another address is not held back by this one's guesses.
    expect((await loginFrom('10.2.0.2', 'spread0', 'right-password-s')).status).toBe(200)
  })

  it('limits one username over many addresses', async () => {
    nextWindow()
    await createUser(
      { db: f.db },
      { username: 'wanted', password: 'right-password-w', displayName: 'W' },
    )
    const statuses: number[] = []
    for (let i = 0; i < 40; i++)
      statuses.push((await loginFrom(`10.3.0.${i}`, 'wanted', `wrong-${i}`)).status)
    expect(statuses.filter((s) => s === 401).length).toBe(LOGIN_MAX_PER_USERNAME)
    expect(statuses.slice(LOGIN_MAX_PER_USERNAME).every((s) => s === 429)).toBe(true)
  })

  it('behind a trusted proxy, counts the address the proxy saw, not the proxy or a forged hop', async () => {
    nextWindow()
    await createUser(
      { db: f.db },
      { username: 'proxied', password: 'right-password-p', displayName: 'P' },
    )
    const behindProxy = buildApp({
      db: f.db,
      clock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(f.db),
      trustedProxies: 1,
    })
    const viaProxy = (forwardedFor: string, password: string) =>
      behindProxy.request(
        '/api/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'proxied', password }),
        },
        {
          incoming: {
            headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
            socket: { remoteAddress: '10.9.0.1' },
          },
        },
      )
    // An attacker behind the proxy writes a new first hop each time: the proxy's own entry counts.
    const statuses: number[] = []
    for (let i = 0; i < LOGIN_MAX_FAILURES + 2; i++)
      statuses.push((await viaProxy(`1.1.1.${i}, 203.0.113.7`, `wrong-${i}`)).status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_MAX_FAILURES)
    expect(statuses.slice(LOGIN_MAX_FAILURES).every((s) => s === 429)).toBe(true)
    // Someone else behind the same proxy is not held back by the attacker's guesses.
    expect((await viaProxy('198.51.100.5', 'right-password-p')).status).toBe(200)
  })

  it('does not count successful sign-ins against a busy address', async () => {
    nextWindow()
    await createUser(
      { db: f.db },
      { username: 'office', password: 'right-password-o', displayName: 'O' },
    )
    for (let i = 0; i < LOGIN_MAX_PER_ADDRESS + 5; i++)
      expect((await loginFrom('10.4.0.1', 'office', 'right-password-o')).status).toBe(200)
  })
})
