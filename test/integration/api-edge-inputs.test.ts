import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadRequestError } from '../../runtime/errors'
import { listDirectoryUsers } from '../../runtime/org'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

type ErrorBody = { error: { code: string; details: { path: string }[] } }

describe.each(testTargets())('inputs that used to answer 500, on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const refused = async (res: Response, status: number, path: string) => {
    const text = await res.text()
    expect(res.status, text).toBe(status)
    expect((JSON.parse(text) as ErrorBody).error.details.map((d) => d.path)).toContain(path)
  }

  it('refuses a NUL byte in the user search of the directory and of the admin, naming q', async () => {
    for (const path of ['/api/directory/users?q=%00', '/api/admin/users?q=a%00b']) {
      await refused(await f.call('GET', path, { token: f.adminToken }), 400, 'q')
    }
    // The runtime refuses it too, whoever calls it.
    await expect(listDirectoryUsers({ db: f.db }, { q: '\u0000' })).rejects.toBeInstanceOf(
      BadRequestError,
    )
  })

  it('refuses a NUL byte in a query parameter of any route, naming it', async () => {
    await refused(
      await f.call('GET', '/api/meta/forms?entity=%00', { token: f.adminToken }),
      400,
      'entity',
    )
  })

  it('refuses a username holding a NUL byte with 400 naming username', async () => {
    const res = await f.call('POST', '/api/auth/login', {
      body: { username: 'ad\u0000min', password: 'whatever-it-is' },
    })
    await refused(res, 400, 'username')
  })

  it('refuses an API token expiry past year 9999 and a token name holding NUL with 422', async () => {
    const far = await f.call('POST', '/api/auth/tokens', {
      token: f.adminToken,
      body: { name: 'far', expiresAt: '+275760-09-13T00:00:00Z' },
    })
    await refused(far, 422, 'expiresAt')
    const nul = await f.call('POST', '/api/auth/tokens', {
      token: f.adminToken,
      body: { name: 'a\u0000b' },
    })
    await refused(nul, 422, 'name')
    const ok = await f.call('POST', '/api/auth/tokens', {
      token: f.adminToken,
      body: { name: 'late', expiresAt: '9999-12-31T00:00:00Z' },
    })
    expect(ok.status).toBe(201)
  })

  it('refuses a department or position name holding NUL with 422 naming it (the route fuzz found it)', async () => {
    for (const list of ['/api/admin/departments', '/api/admin/positions']) {
      const res = await f.call('POST', list, { token: f.adminToken, body: { name: 'a\u0000b' } })
      await refused(res, 422, 'name')
    }
  })

  it('keeps the request id on a streamed CSV export', async () => {
    const res = await f.call('GET', '/api/data/customer/export', { token: f.adminToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBeTruthy()
    await res.text()
  })

  it('answers 404 naming the kind for prototype keys in metadata paths', async () => {
    for (const kind of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await f.call('GET', `/api/meta/${kind}/x`, { token: f.adminToken })
      await refused(res, 404, 'kind')
    }
    const put = await f.call('PUT', '/api/meta/constructor/x', {
      token: f.adminToken,
      body: { id: 'x' },
    })
    await refused(put, 404, 'kind')
  })
})
