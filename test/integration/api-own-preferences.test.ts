import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLERK, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

describe.each(testTargets())('own preferences on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const me = async (token: string) =>
    ((await (await f.call('GET', '/api/auth/me', { token })).json()) as { user: { locale: string } })
      .user.locale

  it('saves the caller’s language for their next requests and every other session', async () => {
    const other = (
      (await (await f.call('POST', '/api/auth/login', { body: CLERK })).json()) as {
        token: string
      }
    ).token
    expect(await me(other)).toBe('en') // cached in this process from here on
    const res = await f.call('PATCH', '/api/auth/me', {
      token: f.clerkToken,
      body: { locale: 'zh-CN' },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ user: { username: CLERK.username, locale: 'zh-CN' } })
    expect(await me(f.clerkToken)).toBe('zh-CN')
    expect(await me(other)).toBe('zh-CN')
    const [row] = await f.db.query<{ locale: string }>(
      (await import('drizzle-orm')).sql`select locale from users where username = ${CLERK.username}`,
    )
    expect(row.locale).toBe('zh-CN')
    await f.call('PATCH', '/api/auth/me', { token: f.clerkToken, body: { locale: 'en' } })
  })

  it('refuses an unknown language, unknown fields and an empty body, naming each', async () => {
    const paths = async (body: unknown) => {
      const res = await f.call('PATCH', '/api/auth/me', { token: f.clerkToken, body })
      expect(res.status).toBe(400)
      return ((await res.json()) as { error: { details: { path: string }[] } }).error.details.map(
        (d) => d.path,
      )
    }
    expect(await paths({ locale: 'fr' })).toEqual(['locale'])
    expect(await paths({ locale: 'ko', isAdmin: true })).toEqual(['isAdmin'])
    expect(await paths({})).toEqual(['locale'])
    expect(await me(f.clerkToken)).toBe('en') // nothing half-written
  })

  it('answers 401 without a session', async () => {
    const res = await f.call('PATCH', '/api/auth/me', { body: { locale: 'ko' } })
    expect(res.status).toBe(401)
  })
})
