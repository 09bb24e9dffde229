import { sql } from 'drizzle-orm'
import type { PoolDefinition } from '../../metadata/pool'
import type { Db } from '../db'
import { cancelTimer, scheduleTimer } from '../jobs'
import type { MetadataSet } from '../registry'
import { entityPlan } from '../records'
import { compileFilter } from '../rules'
import { poolColumns } from './pool-columns'
import { planReclaim, type ReclaimPlan } from './reclaim-plan'

/** Timer kinds of pools: the reclaim itself and the owner's reminder before it. */
export const RECLAIM_TIMER = 'pool-reclaim'
export const RECLAIM_REMINDER = 'pool-reclaim-reminder'

const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string))

/** The latest `created_at` (follow-up) or `updated_at` (deal) of activity rows for a record. */
async function lastActivity(
  db: Db,
  meta: MetadataSet,
  activity: { entity: string; field: string; condition?: unknown } | undefined,
  recordId: string,
  column: 'created_at' | 'updated_at',
): Promise<Date | null> {
  if (!activity) return null
  const plan = entityPlan(meta, activity.entity)
  const ref = plan.storedByName.get(activity.field)!.idents[0]
  const cond = activity.condition
    ? compileFilter(plan.entity, activity.condition as never, { alias: 'a' })
    : sql`true`
  const [row] = await db.query<{ at: unknown }>(sql`
    select max(a.${sql.identifier(column)}) as at from ${plan.table} a
    where a.${ref} = ${recordId}::uuid and ${cond}`)
  return toDate(row?.at)
}

/** A record's owner now and its reclaim as of what the database holds now (null: none due). */
export interface ReclaimState {
  owner: string | null
  plan: ReclaimPlan | null
}

/**
 * Reads the owner, level, latest claim, follow-ups and deals of one record in the pool and plans
 * its reclaim from them. With `lock`, the record row is locked first: a follow-up being written
 * meanwhile (its reference holds a key-share lock on the row) is waited for and then counted.
 * @example const { owner, plan } = await readReclaimState(db, meta, eastPool, customerId)
 */
export async function readReclaimState(
  db: Db,
  meta: MetadataSet,
  pool: PoolDefinition,
  recordId: string,
  options: { lock?: boolean } = {},
): Promise<ReclaimState> {
  const cols = poolColumns(meta, pool)
  if (options.lock)
    await db.query(sql`select id from ${cols.plan.table} where id = ${recordId}::uuid for update`)
  const level = cols.level ?? sql`null`
  const [row] = await db.query<{ owner: string | null; level: string | null; since: unknown }>(sql`
    select t.${cols.owner}::text as owner, t.${level}::text as level,
      coalesce((select max(a.at) from audit_log a where a.entity = ${pool.entity}
        and a.record_id = t.id and a.action = 'claim'), t.created_at) as since
    from ${cols.plan.table} t where t.id = ${recordId}::uuid and t.${cols.pool} = ${pool.id}`)
  if (!row?.owner) return { owner: null, plan: null }
  const plan = planReclaim(pool, {
    level: row.level,
    claimedAt: new Date(row.since as string),
    lastFollowUpAt: await lastActivity(db, meta, pool.reclaim?.followUp, recordId, 'created_at'),
    lastDealAt: await lastActivity(db, meta, pool.reclaim?.deal, recordId, 'updated_at'),
  })
  return { owner: row.owner, plan }
}

/**
 * Schedules (or moves) the reclaim and reminder timers of one record from what the database
 * holds now: its owner, level, latest claim, follow-ups and deals. An unowned record, or one no
 * rule covers, has its timers cancelled. Answers the plan.
 * @example await refreshReclaim(db, meta, eastPool, customerId)
 */
export async function refreshReclaim(
  db: Db,
  meta: MetadataSet,
  pool: PoolDefinition,
  recordId: string,
  state?: ReclaimState,
): Promise<ReclaimPlan | null> {
  const { owner, plan } = state ?? (await readReclaimState(db, meta, pool, recordId))
  if (!plan || !owner) {
    await cancelTimer(db, RECLAIM_TIMER, recordId)
    await cancelTimer(db, RECLAIM_REMINDER, recordId)
    return null
  }
  const base = { key: recordId, entity: pool.entity, recordId }
  const payload = { pool: pool.id, owner, reason: plan.reason }
  await scheduleTimer(db, { ...base, kind: RECLAIM_TIMER, dueAt: plan.dueAt, payload })
  if (plan.remindAt)
    await scheduleTimer(db, {
      ...base,
      kind: RECLAIM_REMINDER,
      dueAt: plan.remindAt,
      payload: { ...payload, reclaimAt: plan.dueAt.toISOString() },
    })
  else await cancelTimer(db, RECLAIM_REMINDER, recordId)
  return plan
}
