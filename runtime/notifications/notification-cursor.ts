import { BadRequestError } from '../errors'

/** Where a page of notifications ended: the last row's time (to the microsecond) and id. */
export interface NotificationCursor {
  /** `2026-03-01T09:00:00.123456Z`, as PostgreSQL wrote it (a JS date drops microseconds). */
  at: string
  id: string
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Encodes a cursor as base64url JSON, opaque to clients. */
export function encodeNotificationCursor(cursor: NotificationCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url')
}

/**
 * Decodes a cursor made by `encodeNotificationCursor`; anything else is a 400 on `before`, never
 * a SQL error.
 * @example decodeNotificationCursor(page.next) // { at: '2026-…Z', id: '…' }
 */
export function decodeNotificationCursor(text: string): NotificationCursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    parsed = null
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !AT.test(parsed[0]) ||
    !UUID.test(parsed[1]) ||
    Number.isNaN(Date.parse(parsed[0]))
  ) {
    throw new BadRequestError('Invalid cursor', [
      { path: 'before', message: 'not a cursor of this list (use `next` of the previous page)' },
    ])
  }
  return { at: parsed[0], id: parsed[1] }
}
