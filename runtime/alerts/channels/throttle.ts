import { sql } from 'drizzle-orm'
import type { Db } from '../../db'
import { ValidationError } from '../../errors'

/** One delivery that may be held back: an alert sending to a recipient on a channel. */
export interface ThrottleCheck {
  channel: string
  /** The user id, address or number the message goes to. */
  recipient: string
  alert: string
  /** At most one message per recipient, alert and channel within this many minutes (≤ 0: no limit). */
  windowMinutes: number
  now: Date
}

/**
 * Whether this delivery may go out now: true for the first one in its window, false for every
 * later one. Windows are fixed slices of time (a 60-minute window runs from the full hour); the
 * first delivery stores `throttle:<alert>:<channel>:<recipient>:<window start>` in `job_effects`
 * with an insert that does nothing when the key is there, so any number of workers agree and a
 * retried job that already claimed its slot does not send twice.
 * @example if (await shouldSend(db, { channel: 'sms', recipient: phone, alert: id, windowMinutes: 1440, now })) …
 */
export async function shouldSend(db: Db, check: ThrottleCheck): Promise<boolean> {
  const minutes = check.windowMinutes
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
    throw new ValidationError('Bad throttle window', [
      { path: 'windowMinutes', message: 'must be a number' },
    ])
  }
  if (minutes <= 0) return true
  for (const part of ['channel', 'recipient', 'alert'] as const) {
    if (typeof check[part] !== 'string' || !check[part]) {
      throw new ValidationError(`No ${part} to throttle by`, [
        { path: part, message: 'is required' },
      ])
    }
  }
  const windowMs = Math.round(minutes * 60_000)
  const start = new Date(Math.floor(check.now.getTime() / windowMs) * windowMs)
  const key = `throttle:${check.alert}:${check.channel}:${check.recipient}:${start.toISOString()}`
  const rows = await db.query(sql`
    insert into job_effects (key, job, done_at) values (${key}, 'throttle', ${check.now.toISOString()})
    on conflict (key) do nothing
    returning key`)
  return rows.length === 1
}
