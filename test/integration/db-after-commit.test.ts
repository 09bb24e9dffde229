import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { NOTIFICATIONS_CHANNEL, notify } from '../../runtime/notifications'
import { testTargets } from '../support/databases'

describe.each(testTargets())('work left for after the commit on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let userId: string
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const [row] = await db.query<{ id: string }>(sql`
      insert into users (username, display_name, password_hash)
      values ('after-commit', 'After commit', 'x') returning id::text as id`)
    userId = row.id
  })
  afterAll(() => close?.())

  it('runs after the commit, with the handle outside the transaction, and nested calls join the outer one', async () => {
    const seen: string[] = []
    await db.transaction(async (tx) => {
      tx.afterCommit(() => seen.push('outer'))
      await tx.transaction(async (inner) => {
        inner.afterCommit((root) => {
          seen.push('inner')
          // The root handle sees the committed row.
          void root
            .query<{ n: number }>(
              sql`select count(*)::int as n from notifications where key = 'after-commit:1'`,
            )
            .then(([r]) => seen.push(`rows ${r.n}`))
        })
      })
      await tx.query(sql`insert into notifications (user_id, title, key)
        values (${userId}::uuid, 'Kept', 'after-commit:1')`)
      expect(seen).toEqual([])
    })
    expect(seen.slice(0, 2)).toEqual(['outer', 'inner'])
    await expect.poll(() => seen[2]).toBe('rows 1')
  })

  it('never runs for a transaction that rolls back; outside a transaction it runs at once', async () => {
    const seen: string[] = []
    await expect(
      db.transaction(async (tx) => {
        tx.afterCommit(() => seen.push('rolled back'))
        throw new Error('no')
      }),
    ).rejects.toThrow('no')
    db.afterCommit(() => seen.push('at once'))
    expect(seen).toEqual(['at once'])
  })

  it('announces a stored notification after its commit, never for a rolled-back one', async () => {
    const payloads: string[] = []
    const unlisten = await db.listen(NOTIFICATIONS_CHANNEL, (p) => payloads.push(p))
    try {
      await expect(
        db.transaction(async (tx) => {
          await notify(tx, { userId, title: 'Gone', key: 'after-commit:rolled-back' })
          throw new Error('rolled back')
        }),
      ).rejects.toThrow('rolled back')
      await notify(db, { userId, title: 'Stays', key: 'after-commit:2' })
      await expect.poll(() => payloads).toEqual([userId])
      // The rolled-back one never arrives, however long one waits for it.
      await new Promise((r) => setTimeout(r, 200))
      expect(payloads).toEqual([userId])
    } finally {
      await unlisten()
    }
  })
})
