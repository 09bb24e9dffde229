import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

// app.request reaches the app as http://localhost: that is this server's own origin here.
const OWN = 'http://localhost'

describe.each(testTargets())('login CSRF and JSON content types on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const login = (headers: Record<string, string>, body = JSON.stringify(ADMIN)) =>
    f.app.request('/api/auth/login', { method: 'POST', headers, body })
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; details: { path: string }[] } }).error

  it('refuses a login a plain HTML form could send (text/plain) with 415, setting no cookie', async () => {
    const res = await login({ 'content-type': 'text/plain', origin: 'https://evil.example' })
    expect(res.status).not.toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
    const sameSite = await login({ 'content-type': 'text/plain;charset=UTF-8' })
    expect(sameSite.status).toBe(415)
    expect(sameSite.headers.get('set-cookie')).toBeNull()
    const error = await errorOf(sameSite)
    expect(error.code).toBe('unsupported_media_type')
    expect(error.details.map((d) => d.path)).toEqual(['content-type'])
  })

  it('refuses a cross-site JSON login with 403 and signs in from its own origin', async () => {
    const json = { 'content-type': 'application/json' }
    const foreign = await login({ ...json, origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('set-cookie')).toBeNull()
    expect((await login({ ...json, origin: OWN })).status).toBe(200)
    // API clients send no Origin at all.
    expect((await login(json)).status).toBe(200)
  })

  it('compares scheme, host and port, not the host alone', async () => {
    const json = { 'content-type': 'application/json' }
    for (const origin of [
      'https://localhost',
      'http://localhost:8080',
      'http://localhost.evil',
      'null',
    ]) {
      expect((await login({ ...json, origin })).status, origin).toBe(403)
    }
    expect((await login({ ...json, origin: 'http://localhost:80' })).status).toBe(200)
    // Behind a TLS proxy the browser's origin is https, and the proxy says so.
    const proxied = { ...json, origin: 'https://crm.example', 'x-forwarded-proto': 'https' }
    expect((await login({ ...proxied, 'x-forwarded-host': 'crm.example' })).status).toBe(200)
    expect((await login({ ...proxied, 'x-forwarded-host': 'crm.example:8443' })).status).toBe(403)
  })

  it('checks the Referer when there is no Origin, and Sec-Fetch-Site when there is neither', async () => {
    const json = { 'content-type': 'application/json' }
    expect((await login({ ...json, referer: 'https://evil.example/page' })).status).toBe(403)
    expect((await login({ ...json, referer: `${OWN}/login` })).status).toBe(200)
    expect((await login({ ...json, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
  })

  it('refuses a cross-site logout: the session stays signed in', async () => {
    const res = await f.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `trellis_session=${f.clerkToken}`, origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
    expect((await f.call('GET', '/api/auth/me', { token: f.clerkToken })).status).toBe(200)
  })

  it('refuses a cookie-authenticated write from the same host over another scheme', async () => {
    const res = await f.app.request('/api/data/customer', {
      method: 'POST',
      headers: {
        cookie: `trellis_session=${f.adminToken}`,
        origin: 'https://localhost',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Scheme Co' }),
    })
    expect(res.status).toBe(403)
  })

  it('refuses other content types on JSON endpoints with 415 naming the header', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await f.app.request('/api/data/customer', {
        method: 'POST',
        headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': type },
        body: JSON.stringify({ name: 'Form Co' }),
      })
      expect(res.status, type).toBe(415)
      expect((await errorOf(res)).details[0].path).toBe('content-type')
    }
    const json = await f.call('POST', '/api/data/customer', {
      token: f.adminToken,
      body: { name: 'Json Co' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    expect(json.status).toBe(201)
  })

  it('answers a missing body as missing (400 naming body), whatever its type says', async () => {
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const res = await f.app.request('/api/data/customer', {
        method: 'POST',
        headers: { authorization: `Bearer ${f.adminToken}`, ...headers },
      })
      expect(res.status).toBe(400)
      expect((await errorOf(res)).details[0].path).toBe('body')
    }
  })
})
