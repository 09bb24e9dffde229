import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../../runtime/db'
import {
  announceIdentityChange,
  createSessionResolver,
  createUser,
  hashToken,
  login,
  logout,
} from '../../runtime/identity'
import { systemClock } from '../../runtime/clock'
import { testTargets } from '../support/databases'

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 20))
  }
  return false
}

describe.each(testTargets())('cached sessions on $name', (target) => {
  let db: Db
  /** A second connection pool stands for a second server process (PostgreSQL only). */
  let other: Db
  let close: () => Promise<void>
  beforeAll(async () => {
    const opened = await target.open()
    ;({ db, close } = opened)
    other = opened.url ? await openDb({ url: opened.url, max: 2 }) : db
    await createUser({ db }, { username: 'kim', password: 'long enough pw', displayName: 'Kim' })
  })
  afterAll(async () => {
    if (other !== db) await other.close()
    await close()
  })

  it('answers from memory, and forgets a session another process logged out', async () => {
    const here = createSessionResolver(db)
    await here.start()
    const { token } = await login({ db, clock: systemClock }, 'kim', 'long enough pw')
    expect((await here.resolve(token, new Date()))?.username).toBe('kim')
    // The row is gone, but the cached answer stands until a notice arrives.
    await db.query(sql`delete from sessions`)
    expect((await here.resolve(token, new Date()))?.username).toBe('kim')
    await logout(other, token)
    expect(await eventually(async () => (await here.resolve(token, new Date())) === null)).toBe(
      true,
    )
    await here.stop()
  })

  it('evicts every session of a user whose rights changed', async () => {
    const here = createSessionResolver(db)
    await here.start()
    const { token } = await login({ db, clock: systemClock }, 'kim', 'long enough pw')
    const [{ id }] = await db.query<{ id: string }>(
      sql`select id from users where username = 'kim'`,
    )
    expect(await here.resolve(token, new Date())).not.toBeNull()
    await db.query(sql`update users set disabled = true where id = ${id}`)
    await announceIdentityChange(other, { userId: id })
    expect(await eventually(async () => (await here.resolve(token, new Date())) === null)).toBe(
      true,
    )
    await db.query(sql`update users set disabled = false where id = ${id}`)
    await here.stop()
  })

  it('hashes a token once, not on every request it answers from memory', async () => {
    let hashed = 0
    const counting = createSessionResolver(db, {
      hash: (token) => {
        hashed++
        return hashToken(token)
      },
    })
    await counting.start()
    const { token } = await login({ db, clock: systemClock }, 'kim', 'long enough pw')
    for (let i = 0; i < 50; i++)
      expect((await counting.resolve(token, new Date()))?.username).toBe('kim')
    expect(hashed).toBe(1)
    // A logout notice still finds the cached token by its hash.
    await logout(other, token)
    expect(await eventually(async () => (await counting.resolve(token, new Date())) === null)).toBe(
      true,
    )
    await counting.stop()
  })

  it('looks again after recheckMs even when a notice was lost', async () => {
    const deaf = createSessionResolver(db, { recheckMs: 50 })
    const { token } = await login({ db, clock: systemClock }, 'kim', 'long enough pw')
    const now = new Date()
    expect(await deaf.resolve(token, now)).not.toBeNull()
    await db.query(sql`delete from sessions`)
    expect(await deaf.resolve(token, now)).not.toBeNull()
    expect(await deaf.resolve(token, new Date(now.getTime() + 100))).toBeNull()
  })

  it('does not keep a load that a notice overtook', async () => {
    const here = createSessionResolver(db)
    const { token } = await login({ db, clock: systemClock }, 'kim', 'long enough pw')
    const [{ id }] = await db.query<{ id: string }>(
      sql`select id from users where username = 'kim'`,
    )
    // The notice lands while the session is being read: what was read may already be stale.
    const loading = here.resolve(token, new Date())
    here.apply({ userId: id })
    expect((await loading)?.displayName).toBe('Kim')
    await db.query(sql`update users set display_name = 'Kim Again' where id = ${id}`)
    expect((await here.resolve(token, new Date()))?.displayName).toBe('Kim Again')
    // That load nothing overtook is kept: the next change shows only after a notice.
    await db.query(sql`update users set display_name = 'Kim' where id = ${id}`)
    expect((await here.resolve(token, new Date()))?.displayName).toBe('Kim Again')
    here.apply({ userId: id })
    expect((await here.resolve(token, new Date()))?.displayName).toBe('Kim')
  })
})
