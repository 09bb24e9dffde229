import { sql } from 'drizzle-orm'
import type { Pool, PoolDefinition } from '../../metadata/pool'
import type { AutomationCtx, HandlerRegistry, OutboxEvent, Timer } from '../jobs'
import { notify } from '../notifications'
import type { MetadataSet } from '../registry'
import type { Db } from '../db'
import { entityPlan } from '../records'
import { poolColumns } from './pool-columns'
import { recordPoolMove } from './pool-history'
import { RECLAIM_REMINDER, RECLAIM_TIMER, refreshReclaim } from './reclaim-timers'

/** The published metadata (a cache in the server, a fresh read in `jobs run` and tests). */
/** The published metadata, read through the handler's database handle. */
export type PoolSource = (db: Db) => Promise<MetadataSet>

/** The pools among a metadata set's pools and assignment rules. */
export const poolsOf = (meta: MetadataSet): PoolDefinition[] =>
  (meta.bundle.pools ?? []).filter((p: Pool): p is PoolDefinition => p.type === 'pool')

/** Fires a reclaim: the record goes back to its pool if the timer's owner still holds it. */
async function reclaim(ctx: AutomationCtx, source: PoolSource, timer: Timer): Promise<void> {
  const meta = await source(ctx.db)
  const pool = poolsOf(meta).find((p) => p.id === timer.payload.pool)
  if (!pool || !timer.recordId) return
  const cols = poolColumns(meta, pool)
  const owner = String(timer.payload.owner)
  const now = ctx.clock.now()
  const [row] = await ctx.db.query<{ version: number }>(sql`
    update ${cols.plan.table} set ${cols.owner} = null, version = version + 1,
      updated_at = ${now.toISOString()}::timestamptz, updated_by = null
    where id = ${timer.recordId}::uuid and ${cols.owner} = ${owner}::uuid and ${cols.pool} = ${pool.id}
    returning version`)
  if (!row) return
  await recordPoolMove(ctx.db, {
    entity: pool.entity,
    recordId: timer.recordId,
    action: 'reclaim',
    userId: null,
    at: now,
    version: Number(row.version),
    changes: {
      [cols.plan.entity.ownerField!]: { before: owner, after: null },
      reason: { before: null, after: String(timer.payload.reason ?? 'noFollowUp') },
    },
  })
  await ctx.db.query(
    sql`delete from timers where kind = ${RECLAIM_REMINDER} and key = ${timer.key}`,
  )
}

/** Tells the owner, in the app, that the record returns to its pool soon. */
async function remind(ctx: AutomationCtx, source: PoolSource, timer: Timer): Promise<void> {
  const pool = poolsOf(await source(ctx.db)).find((p) => p.id === timer.payload.pool)
  if (!pool || !timer.recordId) return
  const at = String(timer.payload.reclaimAt).slice(0, 10)
  await notify(ctx.db, {
    userId: String(timer.payload.owner),
    entity: pool.entity,
    recordId: timer.recordId,
    title: `Returns to ${pool.label.en} on ${at} without a follow-up`,
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
 * `pool-reclaim` timers return records, `pool-reclaim-reminder` timers remind owners.
 * @example registerPoolHandlers(handlers, (db) => loadPublishedMetadata(db))
 */
export function registerPoolHandlers(handlers: HandlerRegistry, source: PoolSource): void {
  handlers.onEvent('pools', (ctx, event) => onActivity(ctx, source, event))
  handlers.onTimer(RECLAIM_TIMER, (ctx, timer) => reclaim(ctx, source, timer))
  handlers.onTimer(RECLAIM_REMINDER, (ctx, timer) => remind(ctx, source, timer))
}
