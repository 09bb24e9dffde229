import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

// The workspace asks this on every page load, the login page included: no one signed in is an
// answer (200, user null), not a 401 that the browser logs as an error.
describe.each(testTargets())('GET /api/auth/session on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  it('answers null for no session, a bad token and an unknown cookie', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer not-a-real-token' },
      { cookie: 'trellis_session=abcdefabcdefabcdefabcdefabcdefabcdefabcdefa' },
    ]) {
      const res = await f.call('GET', '/api/auth/session', { headers })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ user: null })
    }
  })

  it('answers the signed-in user for a session cookie and for a bearer token', async () => {
    const login = await f.call('POST', '/api/auth/login', { body: ADMIN })
    const { token } = (await login.json()) as { token: string }
    const byCookie = await f.call('GET', '/api/auth/session', {
      headers: { cookie: `trellis_session=${token}` },
    })
    expect(byCookie.status).toBe(200)
    expect(await byCookie.json()).toMatchObject({ user: { username: 'admin', isAdmin: true } })
    const byBearer = await f.call('GET', '/api/auth/session', { token: f.adminToken })
    expect(await byBearer.json()).toMatchObject({ user: { username: 'admin' } })
    // /me keeps its 401 for callers that need a session.
    expect((await f.call('GET', '/api/auth/me')).status).toBe(401)
  })
})
