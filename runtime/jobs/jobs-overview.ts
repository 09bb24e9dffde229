import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { BadRequestError } from '../errors'
import { readJobsHealth } from './jobs-health'
import type { JobQueue, QueueStats } from './queue'

/** A dead letter as the admin page lists it (its job data stays out: it may hold anything). */
export interface ListedDeadLetter {
  id: number
  name: string
  key: string
  error: string
  attempts: number
  failedAt: string
  /** When an operator re-queued it; null while it is open. */
  retriedAt: string | null
}

/** A timer that is due and has not fired. */
export interface OverdueTimer {
  kind: string
  key: string
  dueAt: string
  /** Times a job was handed this timer and did not finish it. */
  attempts: number
}

/** The engine as an operator sees it on the admin page and in `GET /api/admin/jobs`. */
export interface JobsOverview {
  /** Kind null: this process runs no queue; stats null: none, or it did not answer (Redis). */
  queue: { kind: JobQueue['kind'] | null; stats: QueueStats | null }
  timers: { due: number; overdue: OverdueTimer[] }
  outbox: { undelivered: number; oldestMs: number | null }
  deadLetters: { open: number; data: ListedDeadLetter[]; next: string | null }
}

/** Which dead letters to list: newest first, `limit` of them, older than letter `before`. */
export interface DeadLetterPage {
  limit?: number
  /** The id of the last letter of the previous page (`next` of that page). */
  before?: string
  /** Only the letters nobody retried yet. */
  open?: boolean
}

export const OVERDUE_SHOWN = 20
export const MAX_DEAD_LETTER_PAGE = 100

/**
 * Reads everything the jobs admin page shows: queue counts, due timers with the soonest overdue,
 * outbox lag and a page of dead letters, newest first.
 * @example const overview = await readJobsOverview(db, queue, clock.now(), { limit: 20 })
 */
export async function readJobsOverview(
  db: Db,
  queue: JobQueue | null | undefined,
  now: Date,
  page: DeadLetterPage = {},
): Promise<JobsOverview> {
  const limit = page.limit ?? 20
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_DEAD_LETTER_PAGE) {
    const message = `must be a whole number from 1 to ${MAX_DEAD_LETTER_PAGE}`
    throw new BadRequestError(`Invalid limit: ${message}`, [{ path: 'limit', message }])
  }
  const before = toBefore(page.before)
  const [health, overdue, letters] = await Promise.all([
    readJobsHealth(db, queue, now),
    listOverdueTimers(db, now),
    listLetters(db, limit + 1, before, page.open ?? false),
  ])
  const more = letters.length > limit
  const data = letters.slice(0, limit)
  return {
    queue: { kind: health.queue, stats: health.stats },
    timers: { due: health.dueTimers, overdue },
    outbox: { undelivered: health.undeliveredEvents, oldestMs: health.oldestUndeliveredMs },
    deadLetters: {
      open: health.openDeadLetters,
      data,
      next: more ? String(data[data.length - 1].id) : null,
    },
  }
}

function toBefore(before: string | undefined): number | null {
  if (before === undefined) return null
  const n = /^[0-9]{1,15}$/.test(before) ? Number(before) : NaN
  if (!(Number.isSafeInteger(n) && n >= 1)) {
    const message = 'must be a dead letter id (`next` of the previous page)'
    throw new BadRequestError(`Invalid before: ${message}`, [{ path: 'before', message }])
  }
  return n
}

/** The soonest-due unfired timers due by `now` (the timers_due_idx partial index answers it). */
async function listOverdueTimers(db: Db, now: Date): Promise<OverdueTimer[]> {
  const rows = await db.query<{
    kind: string
    key: string
    due_at: string | Date
    attempts: number
  }>(
    sql`select kind, key, due_at, attempts from timers
      where fired_at is null and due_at <= ${now.toISOString()}::timestamptz
      order by due_at, id limit ${OVERDUE_SHOWN}`,
  )
  return rows.map((r) => ({
    kind: r.kind,
    key: r.key,
    dueAt: new Date(r.due_at).toISOString(),
    attempts: r.attempts,
  }))
}

interface LetterRow {
  id: number | string
  name: string
  key: string
  error: string
  attempts: number
  failed_at: string | Date
  retried_at: string | Date | null
}

/**
 * Newest first by failure time, then id. The page after a letter is compared in SQL against that
 * letter's own row, so the cursor keeps PostgreSQL's microseconds; an id that no longer exists
 * answers an empty page.
 */
async function listLetters(db: Db, limit: number, before: number | null, open: boolean) {
  const rows = await db.query<LetterRow>(sql`select id, name, key, error, attempts, failed_at,
      retried_at from dead_letters d
    where (${!open} or d.retried_at is null)
      and (${before}::bigint is null or (d.failed_at, d.id) <
        (select b.failed_at, b.id from dead_letters b where b.id = ${before}::bigint))
    order by d.failed_at desc, d.id desc limit ${limit}`)
  return rows.map((r): ListedDeadLetter => ({
    id: Number(r.id),
    name: r.name,
    key: r.key,
    error: r.error,
    attempts: r.attempts,
    failedAt: new Date(r.failed_at).toISOString(),
    retriedAt: r.retried_at === null ? null : new Date(r.retried_at).toISOString(),
  }))
}
