import { sql } from 'drizzle-orm'
import type { Pool, PoolDefinition } from '../../metadata/pool'
import type { AutomationCtx, HandlerRegistry, OutboxEvent, Timer } from '../jobs'
import { notify } from '../notifications'
import type { MetadataSet } from '../registry'
import type { Db } from '../db'
import { entityPlan } from '../records'
import { poolColumns } from './pool-columns'
import { recordPoolMove } from './pool-history'
import { readReclaimState, RECLAIM_REMINDER, RECLAIM_TIMER, refreshReclaim } from './reclaim-timers'
import { reminderTitle } from './reminder-message'

/** The published metadata, read through the handler's database handle. */
export type PoolSource = (db: Db) => Promise<MetadataSet>

/** Settings of the pools' automation. */
export interface PoolHandlerOptions {
  /** The instance time zone reminders show their dates in (default UTC). */
  timeZone?: string
}

/** The language a user reads in (null: unknown user, English). */
async function readerLocale(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.query<{ locale: string }>(
    sql`select locale from users where id = ${userId}::uuid`,
  )
  return row?.locale ?? null
}

/** The pools among a metadata set's pools and assignment rules. */
export const poolsOf = (meta: MetadataSet): PoolDefinition[] =>
  (meta.bundle.pools ?? []).filter((p: Pool): p is PoolDefinition => p.type === 'pool')

/**
 * Fires a reclaim: the record goes back to its pool only if, as of now, it is still owned and its
 * reclaim is due. A follow-up or deal written after the timer was planned (or whose move of the
 * timer was missed) re-plans the timers instead: the timer's due time is not trusted.
 */
async function reclaim(ctx: AutomationCtx, source: PoolSource, timer: Timer): Promise<void> {
  const meta = await source(ctx.db)
  const pool = poolsOf(meta).find((p) => p.id === timer.payload.pool)
  if (!pool || !timer.recordId) return
  const now = ctx.clock.now()
  const state = await readReclaimState(ctx.db, meta, pool, timer.recordId, { lock: true })
  if (!state.owner || !state.plan || state.plan.dueAt > now) {
    await refreshReclaim(ctx.db, meta, pool, timer.recordId, state)
    return
  }
  await returnToPool(ctx, meta, pool, timer, { owner: state.owner, reason: state.plan.reason })
}

/** Clears the owner of a record whose reclaim is due, with its history, and drops its reminder. */
async function returnToPool(
  ctx: AutomationCtx,
  meta: MetadataSet,
  pool: PoolDefinition,
  timer: Timer,
  due: { owner: string; reason: string },
): Promise<void> {
  const cols = poolColumns(meta, pool)
  const now = ctx.clock.now()
  const [row] = await ctx.db.query<{ version: number }>(sql`
    update ${cols.plan.table} set ${cols.owner} = null, version = version + 1,
      updated_at = ${now.toISOString()}::timestamptz, updated_by = null
    where id = ${timer.recordId}::uuid and ${cols.owner} = ${due.owner}::uuid and ${cols.pool} = ${pool.id}
    returning version`)
  if (!row) return
  await recordPoolMove(ctx.db, {
    entity: pool.entity,
    recordId: timer.recordId!,
    action: 'reclaim',
    userId: null,
    at: now,
    version: Number(row.version),
    changes: {
      [cols.plan.entity.ownerField!]: { before: due.owner, after: null },
      reason: { before: null, after: due.reason },
    },
  })
  await ctx.db.query(
    sql`delete from timers where kind = ${RECLAIM_REMINDER} and key = ${timer.key}`,
  )
}

/**
 * Tells the owner, in the app, that the record returns to its pool soon, unless a follow-up or
 * deal since moved the reminder later (then it is re-planned, as the reclaim is).
 */
async function remind(
  ctx: AutomationCtx,
  source: PoolSource,
  timer: Timer,
  timeZone: string,
): Promise<void> {
  const meta = await source(ctx.db)
  const pool = poolsOf(meta).find((p) => p.id === timer.payload.pool)
  if (!pool || !timer.recordId) return
  const state = await readReclaimState(ctx.db, meta, pool, timer.recordId)
  const remindAt = state.plan?.remindAt
  if (!state.owner || !state.plan || !remindAt || remindAt > ctx.clock.now()) {
    await refreshReclaim(ctx.db, meta, pool, timer.recordId, state)
    return
  }
  const locale = await readerLocale(ctx.db, state.owner)
  await notify(ctx.db, {
    userId: state.owner,
    entity: pool.entity,
    recordId: timer.recordId,
    title: reminderTitle(pool, state.plan.dueAt, locale, timeZone),
    key: `pool-reminder:${timer.recordId}:${timer.dueAt.toISOString()}`,
    createdAt: ctx.clock.now(),
  })
}

/** A follow-up or deal written: the record it refers to gets its reclaim moved. */
async function onActivity(ctx: AutomationCtx, source: PoolSource, event: OutboxEvent) {
  if (event.event === 'deleted') return
  const meta = await source(ctx.db)
  for (const pool of poolsOf(meta)) {
    for (const activity of [pool.reclaim?.followUp, pool.reclaim?.deal]) {
      if (activity?.entity !== event.entity) continue
      const plan = entityPlan(meta, activity.entity)
      const ref = plan.storedByName.get(activity.field)!.idents[0]
      const [row] = await ctx.db.query<{ target: string | null }>(
        sql`select ${ref}::text as target from ${plan.table} where id = ${event.recordId}::uuid`,
      )
      if (row?.target) await refreshReclaim(ctx.db, meta, pool, row.target)
    }
  }
}

/**
 * Registers the pools' automation: follow-ups and deals move reclaims (`pools` event handler),
 * `pool-reclaim` timers return records, `pool-reclaim-reminder` timers remind owners in their language, dated in `timeZone`.
 * @example registerPoolHandlers(handlers, (db) => loadPublishedMetadata(db), { timeZone: 'Asia/Shanghai' })
 */
export function registerPoolHandlers(
  handlers: HandlerRegistry,
  source: PoolSource,
  options: PoolHandlerOptions = {},
): void {
  const timeZone = options.timeZone ?? 'UTC'
  handlers.onEvent('pools', (ctx, event) => onActivity(ctx, source, event))
  handlers.onTimer(RECLAIM_TIMER, (ctx, timer) => reclaim(ctx, source, timer))
  handlers.onTimer(RECLAIM_REMINDER, (ctx, timer) => remind(ctx, source, timer, timeZone))
}
