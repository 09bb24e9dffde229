import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/** What to schedule: work of `kind` due at `dueAt`, one per (kind, key). */
export interface TimerSpec {
  /** The handler's registered kind, e.g. `reminder`, `pool-reclaim`, `sla-warning`. */
  kind: string
  /** Unique within the kind, e.g. the record id: scheduling the same key again moves the timer. */
  key: string
  dueAt: Date
  payload?: Record<string, unknown>
  /** The record the timer belongs to, if any (`cancelRecordTimers` drops them together). */
  entity?: string | null
  recordId?: string | null
}

/** A timer row as the poller and the `timer` job see it. */
export interface Timer {
  id: number
  kind: string
  key: string
  dueAt: Date
  payload: Record<string, unknown>
  entity: string | null
  recordId: string | null
  attempts: number
}

interface TimerRow {
  id: number | string
  kind: string
  key: string
  due_at: Date | string
  payload: Record<string, unknown>
  entity: string | null
  record_id: string | null
  attempts: number
}

/** Converts a selected timers row (PGlite and postgres.js type ids and times differently). */
export function toTimer(row: TimerRow): Timer {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.key,
    dueAt: new Date(row.due_at),
    payload: row.payload ?? {},
    entity: row.entity,
    recordId: row.record_id,
    attempts: row.attempts,
  }
}

/** The job key of one firing: a timer fires once per due time, however often it is claimed. */
export function timerJobKey(timer: Pick<Timer, 'id' | 'dueAt'>): string {
  return `timer:${timer.id}:${timer.dueAt.toISOString()}`
}

/**
 * Schedules a timer, or moves it: a (kind, key) already there takes the new due time and
 * payload, and fires again even if it had fired. A claim on the old due time is dropped, so the
 * job already running for it finds the timer moved and does nothing.
 * @example await scheduleTimer(db, { kind: 'reminder', key: id, dueAt, entity: 'task', recordId: id })
 */
export async function scheduleTimer(db: Db, spec: TimerSpec): Promise<Timer> {
  const due = spec.dueAt.toISOString()
  const [row] = await db.query<TimerRow>(sql`
    insert into timers (kind, key, due_at, payload, entity, record_id)
    values (${spec.kind}, ${spec.key}, ${due}::timestamptz, ${JSON.stringify(spec.payload ?? {})}::jsonb,
      ${spec.entity ?? null}, ${spec.recordId ?? null}::uuid)
    on conflict (kind, key) do update set
      due_at = excluded.due_at, payload = excluded.payload,
      entity = excluded.entity, record_id = excluded.record_id,
      fired_at = null, attempts = 0, updated_at = now(),
      claimed_until = case when timers.due_at = excluded.due_at and timers.fired_at is null
        then timers.claimed_until end,
      claimed_by = case when timers.due_at = excluded.due_at and timers.fired_at is null
        then timers.claimed_by end
    returning id, kind, key, due_at, payload, entity, record_id, attempts`)
  return toTimer(row)
}

/** Cancels one timer; answers whether it was there. A job firing it now finishes first. */
export async function cancelTimer(db: Db, kind: string, key: string): Promise<boolean> {
  const rows = await db.query(
    sql`delete from timers where kind = ${kind} and key = ${key} returning id`,
  )
  return rows.length > 0
}

/** Cancels every timer of one record (it was deleted); answers how many went. */
export async function cancelRecordTimers(
  db: Db,
  entity: string,
  recordId: string,
): Promise<number> {
  const rows = await db.query(sql`
    delete from timers where entity = ${entity} and record_id = ${recordId}::uuid returning id`)
  return rows.length
}

export interface ClaimOptions {
  /** The business time: timers due at or before it are claimed. */
  now: Date
  limit: number
  /** Who claims (process id), kept in `claimed_by` for operators. */
  owner: string
  /**
   * How long the claim holds before another claimer may take the timer (a claimer that died).
   * Counted on the database's own clock, not `now`: a `--now` run far in the future must not
   * hold timers for years if it dies.
   */
  leaseMs: number
}

/**
 * Claims after which a timer is no longer taken (its handler kept failing: its last failure is
 * in the dead-letter list, whose retry still fires it; scheduling it again starts over). Without
 * it, a timer that always fails would lead every batch after every lease.
 */
export const MAX_TIMER_CLAIMS = 10

/**
 * Claims up to `limit` unfired timers due by `now` that nobody holds (or whose holder's lease
 * ran out) and that failed fewer than `MAX_TIMER_CLAIMS` claims, oldest due first. Concurrent
 * claimers skip each other's rows (`SKIP LOCKED`).
 * @example const due = await claimDueTimers(db, { now: clock.now(), limit: 100, owner, leaseMs: 60_000 })
 */
export async function claimDueTimers(db: Db, options: ClaimOptions): Promise<Timer[]> {
  const rows = await db.query<TimerRow>(sql`
    with due as (
      select id from timers
      where fired_at is null and due_at <= ${options.now.toISOString()}::timestamptz
        and (claimed_until is null or claimed_until < clock_timestamp())
        and attempts < ${MAX_TIMER_CLAIMS}
      order by due_at, id
      limit ${options.limit}
      for update skip locked)
    update timers t set claimed_by = ${options.owner}, attempts = t.attempts + 1,
      claimed_until = clock_timestamp() + make_interval(secs => ${options.leaseMs / 1000}::float8)
    from due where t.id = due.id
    returning t.id, t.kind, t.key, t.due_at, t.payload, t.entity, t.record_id, t.attempts`)
  return rows.map(toTimer).sort((a, b) => +a.dueAt - +b.dueAt || a.id - b.id)
}

/** Gives a claim back (adding its job failed), so the next poll takes the timer again. */
export async function releaseTimer(db: Db, id: number): Promise<void> {
  await db.query(sql`update timers set claimed_until = null, claimed_by = null where id = ${id}`)
}

/**
 * Marks a timer fired, only if it is still unfired at `dueAt`: a timer moved while its job ran
 * stays pending for its new time. Answers whether it was marked.
 */
export async function markTimerFired(db: Db, id: number, dueAt: Date): Promise<boolean> {
  const rows = await db.query(sql`
    update timers set fired_at = now(), claimed_until = null, updated_at = now()
    where id = ${id} and fired_at is null
      and date_trunc('milliseconds', due_at) = ${dueAt.toISOString()}::timestamptz
    returning id`)
  return rows.length > 0
}

/**
 * Locks the timer for its firing inside the caller's transaction: the row when it is still
 * unfired at `dueAt`, else null (fired already, moved, or cancelled). A concurrent cancel or move
 * waits until the firing commits.
 */
export async function lockTimerForFiring(db: Db, id: number, dueAt: Date): Promise<Timer | null> {
  const [row] = await db.query<TimerRow>(sql`
    select id, kind, key, due_at, payload, entity, record_id, attempts from timers
    where id = ${id} and fired_at is null
      and date_trunc('milliseconds', due_at) = ${dueAt.toISOString()}::timestamptz
    for update`)
  return row ? toTimer(row) : null
}

/** The firings of a batch as one jsonb parameter: `[{ id, due }]`. */
function toFiringsJson(firings: readonly Pick<Timer, 'id' | 'dueAt'>[]): string {
  return JSON.stringify(firings.map((f) => ({ id: f.id, due: f.dueAt.toISOString() })))
}

/**
 * `lockTimerForFiring` for a batch in one statement: locks, in id order (two batches sharing a
 * timer never deadlock), the timers still unfired at their claimed due time; the others
 * (fired, moved, cancelled) are left out. Answers the locked timers in id order.
 * @example const timers = await lockTimersForFiring(tx, [{ id: 7, dueAt }])
 */
export async function lockTimersForFiring(
  db: Db,
  firings: readonly Pick<Timer, 'id' | 'dueAt'>[],
): Promise<Timer[]> {
  if (firings.length === 0) return []
  const rows = await db.query<TimerRow>(sql`
    select t.id, t.kind, t.key, t.due_at, t.payload, t.entity, t.record_id, t.attempts
    from timers t
    join jsonb_to_recordset(${toFiringsJson(firings)}::jsonb) as f(id bigint, due timestamptz)
      on t.id = f.id and date_trunc('milliseconds', t.due_at) = f.due
    where t.fired_at is null
    order by t.id
    for update of t`)
  return rows.map(toTimer)
}

/**
 * `markTimerFired` for a batch in one statement; answers the ids it marked.
 * @example const fired = await markTimersFired(tx, locked)
 */
export async function markTimersFired(
  db: Db,
  firings: readonly Pick<Timer, 'id' | 'dueAt'>[],
): Promise<Set<number>> {
  if (firings.length === 0) return new Set()
  const rows = await db.query<{ id: number | string }>(sql`
    update timers t set fired_at = now(), claimed_until = null, updated_at = now()
    from jsonb_to_recordset(${toFiringsJson(firings)}::jsonb) as f(id bigint, due timestamptz)
    where t.id = f.id and t.fired_at is null and date_trunc('milliseconds', t.due_at) = f.due
    returning t.id`)
  return new Set(rows.map((row) => Number(row.id)))
}

/**
 * When the next unfired timer falls due after `now` (null: none), so a poller can wake for it
 * instead of up to a poll interval late. One step down the due-time index.
 * @example const next = await nextTimerDue(db, clock.now())
 */
export async function nextTimerDue(db: Db, now: Date): Promise<Date | null> {
  const [row] = await db.query<{ due_at: Date | string | null }>(sql`
    select min(due_at) as due_at from timers
    where fired_at is null and due_at > ${now.toISOString()}::timestamptz`)
  return row?.due_at ? new Date(row.due_at) : null
}
