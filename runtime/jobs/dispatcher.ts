import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { OutboxEvent } from './event-handlers'
import type { JobQueue } from './queue'

/** Delivered outbox rows and fired timers are kept this long by default (7 days). */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

interface OutboxRow {
  id: number | string
  entity: string
  record_id: string
  event: string
  payload: Record<string, unknown>
  user_id: string | null
  created_at: Date | string
}

export interface DispatchOptions {
  /** Rows claimed per transaction (default 500). */
  batchSize?: number
  /**
   * Longest wait for the queue to take one batch (default 10 s): a queue that hangs (Redis
   * unreachable) fails the batch, whose rows go back undelivered.
   */
  addTimeoutMs?: number
  /**
   * Whether any handler wants an event (default: all do). One no handler wants is marked
   * delivered without a job: most record writes concern no alert, SLA or pool.
   */
  wanted?: (event: OutboxEvent) => boolean
  /**
   * Runs after the rows are read and before `wanted` judges them (the handlers' metadata
   * refresh): every row read was committed before it began, so `wanted` judges each on metadata
   * at least as new as the row.
   */
  refresh?: () => Promise<void>
}

/**
 * Hands one batch of undelivered outbox rows to the queue as `event` jobs (key `outbox:<id>`),
 * in id order, and marks them delivered in the same transaction as the claim: when the queue
 * refuses them the transaction rolls back and the rows wait for the next call. Any number of
 * processes may call it at once (`SKIP LOCKED`). Answers how many rows it handed over.
 * @example while ((await dispatchOutbox(db, queue)) > 0);
 */
export async function dispatchOutbox(
  db: Db,
  queue: JobQueue,
  options: DispatchOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500
  return db.transaction(async (tx) => {
    const rows = await tx.query<OutboxRow>(sql`
      with batch as (
        select id from outbox where delivered_at is null order by id limit ${batchSize}
        for update skip locked)
      update outbox o set delivered_at = now() from batch where o.id = batch.id
      returning o.id, o.entity, o.record_id, o.event, o.payload, o.user_id, o.created_at`)
    if (rows.length === 0) return 0
    if (options.wanted) await options.refresh?.()
    const all = rows.map(toOutboxEvent).sort((a, b) => a.id - b.id)
    const events = options.wanted ? all.filter(options.wanted) : all
    await withTimeout(
      Promise.all(
        events.map((data) => queue.add({ name: 'event', key: `outbox:${data.id}`, data })),
      ),
      options.addTimeoutMs ?? 10_000,
    )
    return all.length
  })
}

/**
 * The in-process queue's dispatch. Its jobs live in memory, so an event marked delivered when
 * queued would die with the process: here rows are queued unmarked, after `afterId`, and each
 * is marked when its job is done (`markEventDelivered`). After a restart the scan starts at 0
 * and queues whatever was left; handlers that ran already are skipped by their effect keys.
 * Queuing a row again while its job waits or runs is a no-op (same key). One process only, as
 * the in-process queue itself. Answers how many rows it queued and the last id.
 */
export async function queueOutboxInProcess(
  db: Db,
  queue: JobQueue,
  afterId: number,
  batchSize = 500,
  wanted?: (event: OutboxEvent) => boolean,
  refresh?: () => Promise<void>,
): Promise<{ count: number; lastId: number }> {
  const rows = await db.query<OutboxRow>(sql`
    select id, entity, record_id, event, payload, user_id, created_at from outbox
    where delivered_at is null and id > ${afterId} order by id limit ${batchSize}`)
  if (rows.length && wanted) await refresh?.()
  const events = rows.map(toOutboxEvent)
  const unwanted = wanted ? events.filter((e) => !wanted(e)).map((e) => e.id) : []
  if (unwanted.length) {
    await db.query(sql`update outbox set delivered_at = now()
      where id = any(${`{${unwanted.join(',')}}`}::bigint[]) and delivered_at is null`)
  }
  for (const data of events) {
    if (wanted && !wanted(data)) continue
    await queue.add({ name: 'event', key: `outbox:${data.id}`, data })
  }
  return { count: events.length, lastId: events.at(-1)?.id ?? afterId }
}

/** Marks one event delivered once its job is done (the in-process queue's dispatch). */
export async function markEventDelivered(db: Db, id: number): Promise<void> {
  await db.query(
    sql`update outbox set delivered_at = now() where id = ${id} and delivered_at is null`,
  )
}

function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    id: Number(row.id),
    entity: row.entity,
    recordId: row.record_id,
    event: row.event,
    payload: row.payload,
    userId: row.user_id,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the queue took no jobs within ${ms} ms`)), ms)
  })
  return Promise.race([work, limit]).finally(() => clearTimeout(timer))
}

export interface RetentionOptions {
  /** The business time retention counts back from. */
  now: Date
  /** Default `DEFAULT_RETENTION_MS`. */
  retentionMs?: number
  /** Rows deleted per statement (default 1000), so a big backlog never holds long locks. */
  batchSize?: number
}

/**
 * Deletes outbox rows delivered, and timers fired, more than the retention period before `now`,
 * in batches. Safe in several processes at once. Answers how many rows of each went.
 */
export async function sweepRetention(
  db: Db,
  options: RetentionOptions,
): Promise<{ outbox: number; timers: number; effects: number }> {
  const before = new Date(+options.now - (options.retentionMs ?? DEFAULT_RETENTION_MS))
  const limit = options.batchSize ?? 1000
  const cutoff = before.toISOString()
  const outbox = await deleteInBatches(
    limit,
    () => sql`delete from outbox where id in (
      select id from outbox where delivered_at < ${cutoff}::timestamptz
      order by delivered_at limit ${limit} for update skip locked) returning id`,
    db,
  )
  const timers = await deleteInBatches(
    limit,
    () => sql`delete from timers where id in (
      select id from timers where fired_at < ${cutoff}::timestamptz
      limit ${limit} for update skip locked) returning id`,
    db,
  )
  // Effect keys outlive the events and firings they guard by far: a dead letter retried weeks
  // later must still find its done effects.
  const effectsCutoff = new Date(+options.now - EFFECT_RETENTION_MS).toISOString()
  const effects = await deleteInBatches(
    limit,
    () => sql`delete from job_effects where key in (
      select key from job_effects where done_at < ${effectsCutoff}::timestamptz
      order by done_at limit ${limit} for update skip locked) returning key`,
    db,
  )
  return { outbox, timers, effects }
}

/** Effect keys are kept this long (30 days), well past the events' retention. */
export const EFFECT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

async function deleteInBatches(
  limit: number,
  statement: () => ReturnType<typeof sql>,
  db: Db,
): Promise<number> {
  let total = 0
  for (;;) {
    const gone = (await db.query(statement())).length
    total += gone
    if (gone < limit) return total
  }
}
