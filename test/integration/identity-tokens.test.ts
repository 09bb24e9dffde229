import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../metadata/role'
import type { Clock } from '../../runtime/clock'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })
const role = (id: string): Role => ({
  id,
  label: label(id),
  grants: [{ entity: 'customer', scopes: { read: 'all' } }],
})
const BUNDLE = { ...FIXTURE_BUNDLE, roles: [role('salesRep'), role('finance'), role('admin')] }

interface ApiTokenRow {
  id: string
  revokedAt: string | null
}

interface TokenAnswer {
  id: string
  name: string
  roles: string[]
  token: string
}

describe.each(testTargets())('API tokens on $name', (target) => {
  let f: AppFixture
  let clerkId: string
  let adminId: string
  let offsetMs = 0
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) }
  beforeAll(async () => {
    f = await openAppFixture(target, { bundle: BUNDLE, clock })
    const me = async (token: string) =>
      ((await (await f.call('GET', '/api/auth/me', { token })).json()) as { user: { id: string } })
        .user.id
    clerkId = await me(f.clerkToken)
    adminId = await me(f.adminToken)
    for (const [id, roles] of [
      [clerkId, ['salesRep', 'finance']],
      [adminId, ['admin', 'finance']],
    ] as const) {
      const res = await f.call('PATCH', `/api/admin/users/${id}`, {
        token: f.adminToken,
        body: { roles },
      })
      expect(res.status).toBe(200)
    }
  })
  afterAll(() => f?.close())

  const json = async <T>(res: Response) => (await res.json()) as T
  const create = (body: unknown, token = f.clerkToken) =>
    f.call('POST', '/api/auth/tokens', { token, body })
  const meVia = (token: string) => f.call('GET', '/api/auth/me', { token })

  it('creates a token shown once that authenticates with only its roles', async () => {
    const res = await create({ name: 'reporting', roles: ['finance'] })
    expect(res.status).toBe(201)
    const created = await json<TokenAnswer>(res)
    expect(created).toMatchObject({ name: 'reporting', roles: ['finance'] })
    expect(created.token).toMatch(/^trl_[A-Za-z0-9_-]{43}$/)
    const me = await meVia(created.token)
    expect(me.status).toBe(200)
    expect(await json(me)).toMatchObject({
      user: { id: clerkId, roles: ['finance'], viaToken: created.id, isAdmin: false },
    })
    const stored = await f.db.query<{ token_hash: string }>(
      sql`select token_hash from api_tokens where id = ${created.id}`,
    )
    expect(stored[0].token_hash).not.toContain(created.token)
  })

  it('defaults to all of the caller’s roles and refuses roles they do not hold', async () => {
    const all = await json<TokenAnswer>(await create({ name: 'everything' }))
    expect(all.roles).toEqual(['finance', 'salesRep'])
    const refused = await create({ name: 'greedy', roles: ['salesRep', 'admin'] })
    expect(refused.status).toBe(422)
    const body = await json<{ error: { details: { path: string }[] } }>(refused)
    expect(body.error.details.map((d) => d.path)).toEqual(['roles'])
    const bad = await create({ name: '', roles: 'finance', expiresAt: 'soon', scope: 'x' })
    expect(bad.status).toBe(422)
    const paths = (await json<{ error: { details: { path: string }[] } }>(bad)).error.details
    expect(paths.map((d) => d.path).sort()).toEqual(['expiresAt', 'name', 'roles', 'scope'])
  })

  it('lists the caller’s tokens without their secrets, with when they were last used', async () => {
    const created = await json<TokenAnswer>(await create({ name: 'listed' }))
    expect((await meVia(created.token)).status).toBe(200)
    const res = await f.call('GET', '/api/auth/tokens', { token: f.clerkToken })
    const { data } = await json<{ data: Record<string, unknown>[] }>(res)
    const listed = data.find((t) => t.id === created.id)
    expect(listed).toMatchObject({ name: 'listed', revokedAt: null, expiresAt: null })
    expect(Object.keys(listed!).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'roles'].sort(),
    )
    expect(typeof listed!.lastUsedAt).toBe('string')
    const others = await f.call('GET', '/api/auth/tokens', { token: f.adminToken })
    const mine = (await json<{ data: { id: string }[] }>(others)).data.map((t) => t.id)
    expect(mine).not.toContain(created.id)
  })

  it('refuses a revoked token at once, though it was cached a moment ago', async () => {
    const created = await json<TokenAnswer>(await create({ name: 'short-lived' }))
    expect((await meVia(created.token)).status).toBe(200)
    const foreign = await f.call('DELETE', `/api/auth/tokens/${created.id}`, {
      token: f.adminToken,
    })
    expect(foreign.status).toBe(404)
    const revoked = await f.call('DELETE', `/api/auth/tokens/${created.id}`, {
      token: f.clerkToken,
    })
    expect(revoked.status).toBe(204)
    expect((await meVia(created.token)).status).toBe(401)
    expect((await f.call('DELETE', '/api/auth/tokens/nope', { token: f.clerkToken })).status).toBe(
      404,
    )
  })

  it('stops accepting a token when it expires', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60 * 60 * 1000).toISOString()
    const created = await json<TokenAnswer & { expiresAt: string }>(
      await create({ name: 'hour', expiresAt }),
    )
    expect(created.expiresAt).toBe(expiresAt)
    expect((await meVia(created.token)).status).toBe(200)
    offsetMs = 2 * 60 * 60 * 1000
    try {
      expect((await meVia(created.token)).status).toBe(401)
    } finally {
      offsetMs = 0
    }
    const past = await create({ name: 'past', expiresAt: '2000-01-01T00:00:00Z' })
    expect(past.status).toBe(422)
  })

  it('follows the user’s current roles: a role taken away leaves the token at once', async () => {
    const created = await json<TokenAnswer>(await create({ name: 'rep', roles: ['salesRep'] }))
    expect(await json(await meVia(created.token))).toMatchObject({ user: { roles: ['salesRep'] } })
    await f.call('PATCH', `/api/admin/users/${clerkId}`, {
      token: f.adminToken,
      body: { roles: ['finance'] },
    })
    expect(await json(await meVia(created.token))).toMatchObject({ user: { roles: [] } })
    await f.call('PATCH', `/api/admin/users/${clerkId}`, {
      token: f.adminToken,
      body: { roles: ['salesRep', 'finance'] },
    })
  })

  it('keeps administrator rights only on a token with all of the admin’s roles', async () => {
    const full = await json<TokenAnswer>(await create({ name: 'full' }, f.adminToken))
    const narrow = await json<TokenAnswer>(
      await create({ name: 'narrow', roles: ['finance'] }, f.adminToken),
    )
    expect((await f.call('GET', '/api/admin/users', { token: full.token })).status).toBe(200)
    expect((await f.call('GET', '/api/admin/users', { token: narrow.token })).status).toBe(403)
  })

  it('refuses token and password management through a token, and tokens sent as a cookie', async () => {
    const created = await json<TokenAnswer>(await create({ name: 'bot' }))
    expect((await create({ name: 'child' }, created.token)).status).toBe(403)
    const password = await f.call('POST', '/api/auth/password', {
      token: created.token,
      body: { currentPassword: 'clerk-password-1', newPassword: 'whatever-else-1' },
    })
    expect(password.status).toBe(403)
    const cookie = await f.call('GET', '/api/auth/me', {
      headers: { cookie: `trellis_session=${created.token}` },
    })
    expect(cookie.status).toBe(401)
  })

  it('refuses a token of a disabled user', async () => {
    await f.call('POST', '/api/admin/users', {
      token: f.adminToken,
      body: { username: 'botowner', password: 'long-enough-1', displayName: 'Bot owner' },
    })
    const login = await f.call('POST', '/api/auth/login', {
      body: { username: 'botowner', password: 'long-enough-1' },
    })
    const { token, user } = await json<{ token: string; user: { id: string } }>(login)
    const created = await json<TokenAnswer>(await create({ name: 'bot' }, token))
    expect((await meVia(created.token)).status).toBe(200)
    await f.call('PATCH', `/api/admin/users/${user.id}`, {
      token: f.adminToken,
      body: { disabled: true },
    })
    expect((await meVia(created.token)).status).toBe(401)
  })
  /** A fresh user signed in, with one API token that works. */
  const userWithToken = async (username: string) => {
    const made = await f.call('POST', '/api/admin/users', {
      token: f.adminToken,
      body: { username, password: 'first-password-1', displayName: username },
    })
    const { id } = await json<{ id: string }>(made)
    const login = await f.call('POST', '/api/auth/login', {
      body: { username, password: 'first-password-1' },
    })
    const { token: session } = await json<{ token: string }>(login)
    const api = await json<TokenAnswer>(await create({ name: 'script' }, session))
    expect((await meVia(api.token)).status).toBe(200)
    return { id, session, api }
  }

  it('revokes every token of a user who changes their own password, at once', async () => {
    const { session, api } = await userWithToken('rotator')
    const changed = await f.call('POST', '/api/auth/password', {
      token: session,
      body: { currentPassword: 'first-password-1', newPassword: 'second-password-2' },
    })
    expect(changed.status).toBe(204)
    expect((await meVia(api.token)).status).toBe(401)
    expect((await meVia(session)).status).toBe(200)
    const listed = await json<{ data: ApiTokenRow[] }>(
      await f.call('GET', '/api/auth/tokens', { token: session }),
    )
    expect(listed.data.find((t) => t.id === api.id)?.revokedAt).toEqual(expect.any(String))
    const fresh = await json<TokenAnswer>(await create({ name: 'after' }, session))
    expect((await meVia(fresh.token)).status).toBe(200)
  })

  it('revokes every token of a user whose password an administrator resets, at once', async () => {
    const { id, session, api } = await userWithToken('forgotten')
    const weak = await f.call('POST', `/api/admin/users/${id}/password`, {
      token: f.adminToken,
      body: { password: 'x' },
    })
    expect(weak.status).toBe(422)
    expect((await meVia(api.token)).status).toBe(200)
    const reset = await f.call('POST', `/api/admin/users/${id}/password`, {
      token: f.adminToken,
      body: { password: 'reset-password-3' },
    })
    expect(reset.status).toBe(204)
    expect((await meVia(api.token)).status).toBe(401)
    expect((await meVia(session)).status).toBe(401)
    const [row] = await f.db.query<{ revoked_at: unknown }>(
      sql`select revoked_at from api_tokens where id = ${api.id}`,
    )
    expect(row.revoked_at).not.toBeNull()
  })
})
