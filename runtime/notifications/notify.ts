import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { ValidationError, type Issue } from '../errors'
import { announceNotifications } from './notification-channel'
import { validateNotificationTexts, type NotificationTexts } from './notification-texts'

/** One in-app notification to store, already rendered for its recipient. */
export interface NotifyInput {
  userId: string
  /** The alert that sent it; left out for system notices. */
  alert?: string | null
  /** The record it is about: both or neither. */
  entity?: string | null
  recordId?: string | null
  title: string
  body?: string | null
  /** The title and body in other languages too, each shown to a reader of that language. */
  texts?: NotificationTexts | null
  /** Idempotency key of the delivery: the same key again stores nothing. */
  key: string
  /** When it was sent (the job's clock); the database's time when left out. */
  createdAt?: Date
}

/** What `notify` did: the stored row's id, or the id already stored under the key. */
export interface NotifyResult {
  id: string
  /** false when the key was stored before (a re-delivered job): nothing new, no notice. */
  created: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_TITLE = 500
const MAX_BODY = 10_000
const MAX_KEY = 500

/**
 * Stores a notification for one user and, in the same transaction, NOTIFYs every process that
 * the user's count changed. The same key twice stores one row (re-delivered jobs are harmless).
 * @example await notify(db, { userId, entity: 'quote', recordId, title: 'Quote Q-7 expires in 3 days', key: `quote-expiry:${recordId}:${userId}` })
 */
export async function notify(db: Db, input: NotifyInput): Promise<NotifyResult> {
  assertNotifyInput(input)
  return db.transaction(async (tx) => {
    const at = input.createdAt ? input.createdAt.toISOString() : null
    const inserted = await tx
      .query<{ id: string }>(
        sql`
      insert into notifications
        (user_id, alert, entity, record_id, title, body, texts, key, created_at)
      values (${input.userId}::uuid, ${input.alert ?? null}, ${input.entity ?? null},
        ${input.recordId ?? null}::uuid, ${input.title}, ${input.body ?? null},
        ${input.texts ? JSON.stringify(input.texts) : null}::jsonb, ${input.key},
        coalesce(${at}::timestamptz, now()))
      on conflict (key) do nothing
      returning id::text as id`,
      )
      .catch((err: unknown) => {
        throw isUnknownUser(err) ? invalid('userId', 'no such user') : err
      })
    if (inserted.length) {
      announceNotifications(tx, input.userId)
      return { id: inserted[0].id, created: true }
    }
    const [kept] = await tx.query<{ id: string }>(
      sql`select id::text as id from notifications where key = ${input.key}`,
    )
    return { id: kept.id, created: false }
  })
}

/** Throws a 422 naming each bad field of one notification to store. */
export function assertNotifyInput(input: NotifyInput): void {
  const issues: Issue[] = []
  const text = (path: string, value: unknown, max: number, required: boolean) => {
    if (value === undefined || value === null) {
      if (required) issues.push({ path, message: 'is required' })
    } else if (typeof value !== 'string' || (required && !value.trim()))
      issues.push({ path, message: 'must be a non-empty text' })
    else if (value.length > max) issues.push({ path, message: `must be at most ${max} characters` })
    else if (value.includes('\u0000')) issues.push({ path, message: 'must not contain NUL' })
  }
  if (typeof input.userId !== 'string' || !UUID.test(input.userId))
    issues.push({ path: 'userId', message: 'must be a user id' })
  text('title', input.title, MAX_TITLE, true)
  text('key', input.key, MAX_KEY, true)
  text('body', input.body, MAX_BODY, false)
  text('alert', input.alert, 200, false)
  text('entity', input.entity, 200, false)
  issues.push(...validateNotificationTexts(input.texts, { title: MAX_TITLE, body: MAX_BODY }))
  const hasRecord = input.recordId !== undefined && input.recordId !== null
  if (hasRecord && (typeof input.recordId !== 'string' || !UUID.test(input.recordId)))
    issues.push({ path: 'recordId', message: 'must be a record id' })
  if (hasRecord !== Boolean(input.entity))
    issues.push({ path: 'recordId', message: 'entity and recordId go together' })
  if (input.createdAt !== undefined && Number.isNaN(input.createdAt?.getTime?.()))
    issues.push({ path: 'createdAt', message: 'must be a valid date' })
  if (issues.length) throw new ValidationError('Invalid notification', issues)
}

/** The 422 of one bad notification field. */
export function invalid(path: string, message: string): ValidationError {
  return new ValidationError('Invalid notification', [{ path, message }])
}

/** A foreign-key violation: the recipient does not exist. */
export function isUnknownUser(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23503'
}
