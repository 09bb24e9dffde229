import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { ValidationError } from '../../runtime/errors'
import {
  NOTICE_GAP_MS,
  NOTIFICATIONS_CHANNEL,
  notificationHub,
  notifyMany,
  unreadCount,
} from '../../runtime/notifications'
import { testTargets } from '../support/databases'

/** More users than one NOTIFY payload names, so a batch needs two notices. */
const USERS = 150

describe.each(testTargets())('notifications stored in a batch on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ids: string[]
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    ids = (
      await db.query<{ id: string }>(sql`
        insert into users (username, display_name, password_hash)
        select 'batch' || g, 'Batch ' || g, 'x' from generate_series(1, ${USERS}) g
        returning id::text as id`)
    ).map((row) => row.id)
  })
  afterAll(() => close?.())

  const count = async (prefix: string) =>
    (
      await db.query<{ n: number }>(sql`select count(*)::int as n from notifications
        where key like ${`${prefix}%`}`)
    )[0].n

  it('stores each key once, in one call and across calls, and answers only the new rows', async () => {
    const first = await notifyMany(db, [
      { userId: ids[0], title: 'One', key: 'dup:1' },
      { userId: ids[1], title: 'Two', key: 'dup:2' },
      { userId: ids[1], title: 'Two again', key: 'dup:2' },
    ])
    expect(first.map((row) => row.key).sort()).toEqual(['dup:1', 'dup:2'])
    const again = await notifyMany(db, [
      { userId: ids[0], title: 'One', key: 'dup:1' },
      { userId: ids[2], title: 'Three', key: 'dup:3' },
    ])
    expect(again.map((row) => [row.key, row.userId])).toEqual([['dup:3', ids[2]]])
    expect(await count('dup:')).toBe(3)
  })

  it('refuses a batch with a malformed or unknown recipient naming the field, storing none of it', async () => {
    const bad = notifyMany(db, [
      { userId: ids[0], title: 'Fine', key: 'bad:1' },
      { userId: 'nobody', title: 'Bad', key: 'bad:2' },
    ])
    await expect(bad).rejects.toBeInstanceOf(ValidationError)
    await expect(bad).rejects.toMatchObject({ details: [{ path: 'userId' }] })
    const unknown = notifyMany(db, [
      { userId: ids[0], title: 'Fine', key: 'bad:3' },
      { userId: '00000000-0000-4000-8000-00000000abcd', title: 'Gone', key: 'bad:4' },
    ])
    await expect(unknown).rejects.toMatchObject({ details: [{ path: 'userId' }] })
    expect(await count('bad:')).toBe(0)
  })

  it('announces every recipient of a batch in a few notices, each under the payload limit', async () => {
    // Users the tests before announced leave at most NOTICE_GAP_MS later, and would share this
    // batch's first notice: let them go first.
    await new Promise((resolve) => setTimeout(resolve, NOTICE_GAP_MS * 5))
    const payloads: string[] = []
    const unlisten = await db.listen(NOTIFICATIONS_CHANNEL, (p) => payloads.push(p))
    // Two subscribers: the first user and one past the first notice's hundred.
    const counts: Record<string, number[]> = { [ids[3]]: [], [ids[140]]: [] }
    const hub = notificationHub(db)
    const stops = await Promise.all(
      Object.keys(counts).map((id) => hub.subscribe(id, (n) => counts[id].push(n))),
    )
    try {
      const batch = ids.slice(3).map((userId, i) => ({ userId, title: `B${i}`, key: `many:${i}` }))
      expect(await notifyMany(db, batch)).toHaveLength(USERS - 3)
      await until(() => counts[ids[3]].length > 0 && counts[ids[140]].length > 0)
      expect(counts[ids[3]].at(-1)).toBe(await unreadCount(db, ids[3]))
      expect(counts[ids[140]].at(-1)).toBe(1)
      await until(() => payloads.length >= 2)
      expect(payloads).toHaveLength(2)
      for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000)
      expect(payloads.flatMap((p) => p.split(',')).sort()).toEqual(ids.slice(3).sort())
    } finally {
      stops.forEach((stop) => stop())
      await unlisten()
    }
  })
})

async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 5000
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the notices')
    await new Promise((r) => setTimeout(r, 20))
  }
}
