import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

describe.each(testTargets())('own password change on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const json = async <T>(res: Response) => (await res.json()) as T
  const paths = async (res: Response) =>
    (await json<{ error: { details: { path: string }[] } }>(res)).error.details.map((d) => d.path)
  const signIn = async (username: string, password: string) => {
    const res = await f.call('POST', '/api/auth/login', { body: { username, password } })
    return res.status === 200 ? (await json<{ token: string }>(res)).token : null
  }
  const newUser = async (username: string, password: string) => {
    const res = await f.call('POST', '/api/admin/users', {
      token: f.adminToken,
      body: { username, password, displayName: username },
    })
    expect(res.status).toBe(201)
  }

  it('changes the password, keeps this session and ends the others', async () => {
    await newUser('pat', 'first-password')
    const here = (await signIn('pat', 'first-password'))!
    const elsewhere = (await signIn('pat', 'first-password'))!
    expect((await f.call('GET', '/api/auth/me', { token: elsewhere })).status).toBe(200)
    const res = await f.call('POST', '/api/auth/password', {
      token: here,
      body: { currentPassword: 'first-password', newPassword: 'second-password' },
    })
    expect(res.status).toBe(204)
    expect((await f.call('GET', '/api/auth/me', { token: here })).status).toBe(200)
    expect((await f.call('GET', '/api/auth/me', { token: elsewhere })).status).toBe(401)
    expect(await signIn('pat', 'first-password')).toBeNull()
    expect(await signIn('pat', 'second-password')).not.toBeNull()
  })

  it('refuses a wrong current password and a weak new one, naming the field', async () => {
    await newUser('quinn', 'first-password')
    const token = (await signIn('quinn', 'first-password'))!
    const wrong = await f.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'not-it-at-all', newPassword: 'second-password' },
    })
    expect(wrong.status).toBe(422)
    expect(await paths(wrong)).toEqual(['currentPassword'])
    const weak = await f.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'first-password', newPassword: 'short' },
    })
    expect(weak.status).toBe(422)
    expect(await paths(weak)).toEqual(['newPassword'])
    const empty = await f.call('POST', '/api/auth/password', { token, body: {} })
    expect(await paths(empty)).toEqual(['currentPassword', 'newPassword'])
    expect(await signIn('quinn', 'first-password')).not.toBeNull()
  })

  it('limits guesses of the current password with a 429', async () => {
    await newUser('rae', 'first-password')
    const token = (await signIn('rae', 'first-password'))!
    for (let i = 0; i < 10; i++) {
      const res = await f.call('POST', '/api/auth/password', {
        token,
        body: { currentPassword: `guess-${i}`, newPassword: 'second-password' },
      })
      expect(res.status).toBe(422)
    }
    const blocked = await f.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'first-password', newPassword: 'second-password' },
    })
    expect(blocked.status).toBe(429)
  })

  it('does not let a refused request that checks no password wipe the guesses before it', async () => {
    await newUser('sam', 'first-password')
    const token = (await signIn('sam', 'first-password'))!
    const guess = (i: number) =>
      f.call('POST', '/api/auth/password', {
        token,
        body: { currentPassword: `guess-${i}`, newPassword: 'second-password' },
      })
    for (let i = 0; i < 9; i++) expect((await guess(i)).status).toBe(422)
    const weak = await f.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'guess-weak', newPassword: 'short' },
    })
    expect(await paths(weak)).toEqual(['newPassword'])
    expect((await guess(9)).status).toBe(422)
    const blocked = await f.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'first-password', newPassword: 'second-password' },
    })
    expect(blocked.status).toBe(429)
  })
})
