import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { JobQueue, QueueStats } from './queue'

/** Counts stop here, so a health check stays cheap however big a backlog grows. */
export const CAP = 10_000

/** The state of the engine, for `/api/health` and `trellis jobs list`. */
export interface JobsHealth {
  /** Which queue this process uses; null when it runs none. */
  queue: JobQueue['kind'] | null
  /** Queue counts; null when there is no queue or it did not answer (Redis away). */
  stats: QueueStats | null
  /** Unfired timers due by `now` (at most `CAP`): many for long means nothing fires them. */
  dueTimers: number
  /** Dead letters no operator retried yet. */
  openDeadLetters: number
  /** At most `CAP`. */
  undeliveredEvents: number
  /** Age in ms of the oldest undelivered outbox row (dispatch lag); null when none waits. */
  oldestUndeliveredMs: number | null
}

/**
 * Reads the engine's state: queue counts, due timers, open dead letters and outbox lag, each
 * answered by a partial index. A queue that does not answer leaves `stats` null.
 * @example const health = await readJobsHealth(db, queue, clock.now())
 */
export async function readJobsHealth(
  db: Db,
  queue: JobQueue | null | undefined,
  now: Date,
): Promise<JobsHealth> {
  const [row] = await db.query<{
    due: number
    dead: number
    undelivered: number
    oldest: string | Date | null
  }>(sql`select
    (select count(*)::int from (select 1 from timers
      where fired_at is null and due_at <= ${now.toISOString()}::timestamptz limit ${CAP}) t) as due,
    (select count(*)::int from (select 1 from dead_letters where retried_at is null limit ${CAP}) d)
      as dead,
    (select count(*)::int from (select 1 from outbox where delivered_at is null limit ${CAP}) o)
      as undelivered,
    (select created_at from outbox where delivered_at is null order by id limit 1) as oldest`)
  const stats = queue ? await queue.stats().catch(() => null) : null
  return {
    queue: queue?.kind ?? null,
    stats,
    dueTimers: row.due,
    openDeadLetters: row.dead,
    undeliveredEvents: row.undelivered,
    oldestUndeliveredMs:
      row.oldest === null ? null : Math.max(0, Date.now() - +new Date(row.oldest)),
  }
}
