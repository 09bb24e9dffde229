import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../runtime/identity'
import { ADMIN, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

describe.each(testTargets())('API health and auth on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  it('answers health without a session', async () => {
    const res = await f.call('GET', '/api/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok' })
  })

  it('signs in and sets an HttpOnly, SameSite=Lax session cookie on the root path', async () => {
    const res = await f.call('POST', '/api/auth/login', { body: ADMIN })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      token: string
      user: { username: string; isAdmin: boolean }
    }
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.user).toMatchObject({ username: 'admin', isAdmin: true })
    expect(body.user).not.toHaveProperty('passwordHash')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toContain(`trellis_session=${body.token}`)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Secure/i)
  })

  it('marks the cookie Secure when the request came over https', async () => {
    const res = await f.app.request('https://trellis.example/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/Secure/)
  })

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await f.call('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'nope-nope' },
    })
    const unknown = await f.call('POST', '/api/auth/login', {
      body: { username: 'ghost', password: 'nope-nope' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const a = (await wrong.json()) as { error: { code: string; message: string } }
    const b = (await unknown.json()) as { error: { code: string; message: string } }
    expect(a).toEqual(b)
    expect(a.error.code).toBe('unauthorized')
    expect(wrong.headers.get('set-cookie')).toBeNull()
  })

  it('refuses a login body without a username or password, naming the fields', async () => {
    const res = await f.call('POST', '/api/auth/login', { body: { username: 'admin' } })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details.map((d) => d.path)).toEqual(['password'])
  })

  it('answers 401 to a protected endpoint without a session', async () => {
    for (const path of ['/api/auth/me', '/api/meta/entities', '/api/data/customer']) {
      const res = await f.call('GET', path)
      expect(res.status, path).toBe(401)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
  })

  it('answers 401 to a made-up token', async () => {
    const res = await f.call('GET', '/api/auth/me', { token: 'x'.repeat(43) })
    expect(res.status).toBe(401)
  })

  it('tells the signed-in user who they are, by bearer token or by cookie', async () => {
    const bearer = await f.call('GET', '/api/auth/me', { token: f.clerkToken })
    expect(bearer.status).toBe(200)
    expect(await bearer.json()).toMatchObject({ user: { username: 'clerk', isAdmin: false } })
    const cookie = await f.call('GET', '/api/auth/me', {
      headers: { cookie: `trellis_session=${f.adminToken}` },
    })
    expect(await cookie.json()).toMatchObject({ user: { username: 'admin' } })
  })

  it('refuses a cross-site write authenticated by cookie', async () => {
    const res = await f.call('POST', '/api/meta/plan', {
      headers: { cookie: `trellis_session=${f.adminToken}`, origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
  })

  it('refuses further logins for a while after ten failures for one username', async () => {
    await createUser(
      { db: f.db },
      { username: 'guessme', password: 'the-right-one', displayName: 'G' },
    )
    for (let i = 0; i < 10; i++) {
      const res = await f.call('POST', '/api/auth/login', {
        body: { username: 'guessme', password: `wrong-${i}` },
      })
      expect(res.status).toBe(401)
    }
    const blocked = await f.call('POST', '/api/auth/login', {
      body: { username: 'GuessMe', password: 'the-right-one' },
    })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe(
      'too_many_requests',
    )
    expect((await f.call('POST', '/api/auth/login', { body: ADMIN })).status).toBe(200)
  })

  it('ends the session on logout and clears the cookie', async () => {
    const login = await f.call('POST', '/api/auth/login', { body: ADMIN })
    const { token } = (await login.json()) as { token: string }
    expect((await f.call('GET', '/api/auth/me', { token })).status).toBe(200)
    const out = await f.call('POST', '/api/auth/logout', { token })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/trellis_session=;.*Max-Age=0/i)
    expect((await f.call('GET', '/api/auth/me', { token })).status).toBe(401)
    expect((await f.call('GET', '/api/auth/me', { token: f.adminToken })).status).toBe(200)
  })
})
