import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/**
 * The channel every process LISTENs on: a NOTIFY carries the ids of users whose notifications
 * changed (one stored, one or all read), comma-separated, nothing else, so a payload never
 * holds a title.
 */
export const NOTIFICATIONS_CHANNEL = 'trellis_notifications'

/**
 * User ids per NOTIFY payload: 100 × 37 characters stays well under PostgreSQL's 8,000-byte
 * payload limit.
 */
export const USERS_PER_NOTICE = 100

/**
 * Tells every process (this one included) that `userId`'s notifications changed; inside a
 * transaction the notice leaves on commit, so a listener never counts a row it cannot see yet.
 */
export async function announceNotifications(db: Db, userId: string): Promise<void> {
  await db.notify(NOTIFICATIONS_CHANNEL, userId)
}

/**
 * Tells every process that the notifications of all of `userIds` changed, in one statement:
 * one NOTIFY per `USERS_PER_NOTICE` distinct users instead of one per notification (each
 * notice is a queue entry every committing transaction writes under one global lock).
 * @example await announceNotificationsOf(tx, ['5b0c…', '9e1f…'])
 */
export async function announceNotificationsOf(db: Db, userIds: readonly string[]): Promise<void> {
  const distinct = [...new Set(userIds.map((id) => id.toLowerCase()))]
  const payloads: string[] = []
  for (let i = 0; i < distinct.length; i += USERS_PER_NOTICE)
    payloads.push(distinct.slice(i, i + USERS_PER_NOTICE).join(','))
  if (payloads.length === 1) return db.notify(NOTIFICATIONS_CHANNEL, payloads[0])
  if (payloads.length > 1)
    await db.query(sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, p)
      from jsonb_array_elements_text(${JSON.stringify(payloads)}::jsonb) p`)
}

/** The user ids a notice names (see `announceNotificationsOf`). */
export function toNoticeUserIds(payload: string): string[] {
  return payload
    .toLowerCase()
    .split(',')
    .filter((id) => id !== '')
}

/**
 * How many of the user's notifications are unread (the partial index on unread rows answers).
 * @example await unreadCount(db, user.id) // 3
 */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    sql`select count(*)::int as n from notifications
      where user_id = ${userId}::uuid and read_at is null`,
  )
  return Number(row?.n ?? 0)
}
