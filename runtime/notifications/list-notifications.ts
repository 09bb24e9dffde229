import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../context'
import { BadRequestError, UnauthorizedError } from '../errors'
import { unreadCount } from './notification-channel'
import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  type NotificationCursor,
} from './notification-cursor'
import { toReaderText, type NotificationTexts } from './notification-texts'
import { withholdUnreadable, type Notification } from './withhold-unreadable'

/** Page size when none is asked for, and the most one page holds. */
export const DEFAULT_NOTIFICATION_LIMIT = 20
export const MAX_NOTIFICATION_LIMIT = 100

export interface ListNotificationsInput {
  /** Only the unread ones. */
  unread?: boolean
  limit?: number
  /** `next` of the previous page. */
  before?: string
}

/** One page of the caller's notifications, newest first. */
export interface NotificationPage {
  data: Notification[]
  /** The caller's unread notifications in all (not only on this page). */
  unreadCount: number
  /** The cursor of the next (older) page, or null on the last one. */
  next: string | null
}

interface Row {
  id: string
  alert: string | null
  entity: string | null
  record_id: string | null
  title: string
  body: string | null
  texts: NotificationTexts | null
  created_at: Date | string
  at_text: string
  read_at: Date | string | null
}

/** The caller, or 401: notifications always belong to someone. */
export function assertSignedIn(ctx: Pick<Ctx, 'user'>): CurrentUser {
  if (!ctx.user) throw new UnauthorizedError('Sign in first')
  return ctx.user
}

/**
 * The caller's notifications, newest first (keyset by created_at, id), with the unread count,
 * each in the caller's language of now when it was stored in several (see toReaderText); one
 * naming a record the caller may no longer read comes back withheld (see withholdUnreadable).
 * @example const page = await listNotifications(ctx, { unread: true, limit: 10 })
 */
export async function listNotifications(
  ctx: Ctx,
  input: ListNotificationsInput = {},
): Promise<NotificationPage> {
  const user = assertSignedIn(ctx)
  const limit = input.limit ?? DEFAULT_NOTIFICATION_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NOTIFICATION_LIMIT) {
    throw new BadRequestError(`'limit' must be between 1 and ${MAX_NOTIFICATION_LIMIT}`, [
      { path: 'limit', message: `must be an integer from 1 to ${MAX_NOTIFICATION_LIMIT}` },
    ])
  }
  const cursor = input.before === undefined ? null : decodeNotificationCursor(input.before)
  const rows = await ctx.db.query<Row>(sql`
    select id::text as id, alert, entity, record_id::text as record_id, title, body, texts,
      created_at,
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_text, read_at
    from notifications
    where user_id = ${user.id}::uuid
      ${input.unread ? sql`and read_at is null` : sql``}
      ${cursor ? olderThan(cursor) : sql``}
    order by created_at desc, id desc
    limit ${limit + 1}`)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const data = await withholdUnreadable(
    ctx,
    page.map((r) => ({
      id: r.id,
      alert: r.alert,
      entity: r.entity,
      recordId: r.record_id,
      ...toReaderText(r, user.locale),
      createdAt: toIso(r.created_at)!,
      readAt: toIso(r.read_at),
    })),
  )
  return {
    data,
    unreadCount: await unreadCount(ctx.db, user.id),
    next:
      rows.length > limit && last
        ? encodeNotificationCursor({ at: last.at_text, id: last.id })
        : null,
  }
}

function olderThan(cursor: NotificationCursor) {
  return sql`and (created_at, id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
}

function toIso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString()
}
