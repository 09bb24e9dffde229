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

/** The least time between the starts of two NOTIFY statements of one process (see `noticeSender`). */
export const NOTICE_GAP_MS = 20

/**
 * Tells every process (this one included) that `userId`'s notifications changed, once the
 * current transaction commits (see `announceNotificationsOf`).
 */
export function announceNotifications(db: Db, userId: string): void {
  announceNotificationsOf(db, [userId])
}

/**
 * Tells every process that the notifications of all of `userIds` changed. The notice leaves
 * after the commit, so a listener never counts a row it cannot see yet, and outside the write's
 * transaction: PostgreSQL serialises the commits of every transaction that NOTIFYs behind one
 * lock held through the WAL flush, which would cap every write that stores a notification
 * at one commit at a time. Users announced meanwhile by any transaction of this process share
 * the next NOTIFY statement, one payload per `USERS_PER_NOTICE` distinct users. A notice lost
 * to a crash between the commit and the NOTIFY costs a live update, never a notification: the
 * rows are stored, and a stream reads the count when it opens.
 * @example announceNotificationsOf(tx, ['5b0c…', '9e1f…'])
 */
export function announceNotificationsOf(db: Db, userIds: readonly string[]): void {
  if (!userIds.length) return
  db.afterCommit((root) => noticeSender(root).send(userIds))
}

interface NoticeSender {
  send(userIds: readonly string[]): void
}

const senders = new WeakMap<Db, NoticeSender>()

function noticeSender(db: Db): NoticeSender {
  let sender = senders.get(db)
  if (!sender) senders.set(db, (sender = createNoticeSender(db)))
  return sender
}

/**
 * One NOTIFY statement in flight per process; users announced while it runs wait for the next,
 * which leaves at least `NOTICE_GAP_MS` after the one before it started: under steady writes
 * (every transition that starts an approval stores a notice) the process sends a few dozen NOTIFY
 * statements a second, each naming everyone announced meanwhile, instead of one per write. A
 * notice after a quiet spell leaves at once. The statement's own commit does not wait for the
 * WAL flush (`synchronous_commit` off for it alone): a notice carries nothing to keep, and the
 * lock it takes is held the shortest time.
 */
function createNoticeSender(db: Db): NoticeSender {
  const waiting = new Set<string>()
  let sending = false
  let lastSent = -Infinity
  const drain = async () => {
    sending = true
    try {
      while (waiting.size) {
        const wait = lastSent + NOTICE_GAP_MS - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        lastSent = performance.now()
        const users = [...waiting]
        waiting.clear()
        const payloads: string[] = []
        for (let i = 0; i < users.length; i += USERS_PER_NOTICE)
          payloads.push(users.slice(i, i + USERS_PER_NOTICE).join(','))
        await db
          .query(
            sql`select set_config('synchronous_commit', 'off', true),
              pg_notify(${NOTIFICATIONS_CHANNEL}, p)
            from jsonb_array_elements_text(${JSON.stringify(payloads)}::jsonb) p`,
          )
          .catch((err: unknown) => {
            // A closed handle (the process stopping) has no listener left to tell.
            const code = (err as { code?: string }).code
            if (code !== 'CONNECTION_ENDED' && code !== 'CONNECTION_DESTROYED')
              process.emitWarning(`notification notice not sent: ${(err as Error).message}`)
          })
      }
    } finally {
      sending = false
    }
  }
  return {
    send(userIds) {
      for (const id of userIds) waiting.add(id.toLowerCase())
      if (!sending) void drain()
    },
  }
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
