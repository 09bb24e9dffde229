import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { assertSignedIn } from './list-notifications'
import { announceNotifications, unreadCount } from './notification-channel'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The answer of both marks: what is left unread. */
export interface MarkReadResult {
  unreadCount: number
}

/**
 * Marks one of the caller's notifications read (again: no change). Another user's id answers
 * 404 exactly like an id that does not exist, so ids of others' notifications tell nothing.
 * @example await markRead(ctx, id) // { unreadCount: 2 }
 */
export async function markRead(ctx: Ctx, id: string): Promise<MarkReadResult> {
  const user = assertSignedIn(ctx)
  if (!UUID.test(id)) throw notificationNotFound(id)
  return ctx.db.transaction(async (tx) => {
    const at = ctx.clock.now().toISOString()
    const changed = await tx.query(sql`
      update notifications set read_at = ${at}::timestamptz
      where id = ${id}::uuid and user_id = ${user.id}::uuid and read_at is null
      returning id`)
    if (changed.length) announceNotifications(tx, user.id)
    else {
      const mine = await tx.query(
        sql`select 1 from notifications where id = ${id}::uuid and user_id = ${user.id}::uuid`,
      )
      if (!mine.length) throw notificationNotFound(id)
    }
    return { unreadCount: await unreadCount(tx, user.id) }
  })
}

/**
 * Marks every unread notification of the caller read.
 * @example await markAllRead(ctx) // { unreadCount: 0, marked: 5 }
 */
export async function markAllRead(ctx: Ctx): Promise<MarkReadResult & { marked: number }> {
  const user = assertSignedIn(ctx)
  return ctx.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(sql`
      update notifications set read_at = ${ctx.clock.now().toISOString()}::timestamptz
      where user_id = ${user.id}::uuid and read_at is null
      returning id`)
    if (rows.length) announceNotifications(tx, user.id)
    return { marked: rows.length, unreadCount: await unreadCount(tx, user.id) }
  })
}

function notificationNotFound(id: string): NotFoundError {
  return new NotFoundError(`No notification with id '${id}'`, [
    { path: 'id', message: 'no such notification' },
  ])
}
