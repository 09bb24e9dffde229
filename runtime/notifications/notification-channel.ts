import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/**
 * The channel every process LISTENs on: a NOTIFY carries the id of a user whose notifications
 * changed (one stored, one or all read), nothing else, so a payload never holds a title.
 */
export const NOTIFICATIONS_CHANNEL = 'trellis_notifications'

/**
 * Tells every process (this one included) that `userId`'s notifications changed; inside a
 * transaction the notice leaves on commit, so a listener never counts a row it cannot see yet.
 */
export async function announceNotifications(db: Db, userId: string): Promise<void> {
  await db.notify(NOTIFICATIONS_CHANNEL, userId)
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
