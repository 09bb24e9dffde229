import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { announceNotificationsOf } from './notification-channel'
import { assertNotifyInput, invalid, isUnknownUser, type NotifyInput } from './notify'

/** One notification `notifyMany` stored (keys stored before are left out). */
export interface NotifiedRow {
  id: string
  userId: string
  key: string
}

/**
 * Stores many notifications in one statement and announces their users in one more, inside
 * one transaction: what `notify` does for each, at two round trips for the lot (a batch of
 * 10,000 reminders falling due at once). A key stored before (or twice in `inputs`) stores
 * nothing; answers the rows it stored.
 * @example await notifyMany(tx, timers.map((t) => ({ userId: t.payload.userId, title: 'Call back', key: timerJobKey(t) })))
 */
export async function notifyMany(db: Db, inputs: readonly NotifyInput[]): Promise<NotifiedRow[]> {
  inputs.forEach(assertNotifyInput)
  if (inputs.length === 0) return []
  const rows = inputs.map((input) => ({
    user_id: input.userId,
    alert: input.alert ?? null,
    entity: input.entity ?? null,
    record_id: input.recordId ?? null,
    title: input.title,
    body: input.body ?? null,
    texts: input.texts ?? null,
    key: input.key,
    created_at: input.createdAt ? input.createdAt.toISOString() : null,
  }))
  return db.transaction(async (tx) => {
    const stored = await tx
      .query<NotifiedRow>(
        sql`
      insert into notifications
        (user_id, alert, entity, record_id, title, body, texts, key, created_at)
      select r.user_id, r.alert, r.entity, r.record_id, r.title, r.body, r.texts, r.key,
        coalesce(r.created_at, now())
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(user_id uuid, alert text,
        entity text, record_id uuid, title text, body text, texts jsonb, key text,
        created_at timestamptz)
      on conflict (key) do nothing
      returning id::text as id, user_id::text as "userId", key`,
      )
      .catch((err: unknown) => {
        throw isUnknownUser(err) ? invalid('userId', 'no such user') : err
      })
    announceNotificationsOf(
      tx,
      stored.map((row) => row.userId),
    )
    return stored
  })
}
