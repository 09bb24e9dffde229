import { sql } from 'drizzle-orm'
import type { Alert } from '../../metadata/alert'
import type { Db } from '../db'
import type { MetadataSet } from '../registry'
import type { AutomationCtx } from '../jobs/event-handlers'
import { scheduleTimer, type Timer } from '../jobs/timers'
import { entityPlan } from '../records'
import type { AlertDeps } from './alert-deps'
import {
  ALERT_TIMER_KIND,
  alertTimerKey,
  planDateTimers,
  type AlertTimerPlan,
} from './plan-date-timers'

/** The timer kind of the work that plans a date alert's timers for the records already there. */
export const ALERT_PLAN_TIMER_KIND = 'alert-plan'

/** Records planned per firing: each chunk is one short transaction, then the next is due. */
export const DEFAULT_PLAN_BATCH = 1000

/** What the plan timer carries: the alert, the entity whose records it walks, and where it got to. */
interface PlanPayload {
  alert: string
  entity: string
  /** The last record id planned; null: start from the first. */
  after: string | null
}

/** What decides a record's date timers: entity, switch and trigger; null for other alerts. */
function dateShapeOf(alert: Alert | undefined): string | null {
  if (!alert?.entity || alert.trigger.type !== 'dateOffset') return null
  return JSON.stringify([alert.entity, alert.enabled !== false, alert.trigger])
}

/** The key of the plan timer of one alert over one entity's records. */
export function planTimerKey(alertId: string, entity: string): string {
  return `plan:${alertId}:${entity}`
}

/**
 * After a publish, starts planning the records that already exist for each date alert that is
 * new or whose trigger, entity or switch changed, and cancelling the timers of those removed,
 * switched off or moved to another entity: one `alert-plan` timer per (alert, entity), due at
 * `now`, written in the publish transaction. Publishing again restarts it from the first record.
 * @example await schedulePlanTimers(tx, published.bundle.alerts, next.alerts, clock.now())
 */
export async function schedulePlanTimers(
  db: Db,
  before: readonly Alert[],
  after: readonly Alert[],
  now: Date,
): Promise<number> {
  const old = new Map(before.map((a) => [a.id, a]))
  const next = new Map(after.map((a) => [a.id, a]))
  const walks = new Map<string, PlanPayload>()
  const walk = (alert: string, entity: string) =>
    walks.set(planTimerKey(alert, entity), { alert, entity, after: null })
  for (const alert of after) {
    const shape = dateShapeOf(alert)
    if (shape && shape !== dateShapeOf(old.get(alert.id))) walk(alert.id, alert.entity!)
  }
  for (const alert of before) {
    const shape = dateShapeOf(alert)
    if (shape && shape !== dateShapeOf(next.get(alert.id))) walk(alert.id, alert.entity!)
  }
  for (const [key, payload] of walks)
    await scheduleTimer(db, {
      kind: ALERT_PLAN_TIMER_KIND,
      key,
      dueAt: now,
      payload: { ...payload },
    })
  return walks.size
}

/** Schedules or moves many alert timers in one statement; one already right is left alone. */
async function upsertAlertTimers(db: Db, plans: AlertTimerPlan[]): Promise<void> {
  if (!plans.length) return
  const rows = plans.map((p) => ({
    key: p.key,
    due_at: p.dueAt.toISOString(),
    payload: p.payload,
    entity: p.entity,
    record_id: p.recordId,
  }))
  await db.query(sql`
    insert into timers (kind, key, due_at, payload, entity, record_id)
    select ${ALERT_TIMER_KIND}, r.key, r.due_at, r.payload, r.entity, r.record_id
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as r(key text, due_at timestamptz, payload jsonb, entity text, record_id uuid)
    on conflict (kind, key) do update set
      due_at = excluded.due_at, payload = excluded.payload,
      entity = excluded.entity, record_id = excluded.record_id,
      fired_at = null, attempts = 0, updated_at = now(), claimed_until = null, claimed_by = null
    where timers.due_at <> excluded.due_at or timers.payload <> excluded.payload
      or timers.fired_at is not null`)
}

async function cancelAlertTimers(db: Db, keys: string[]): Promise<void> {
  if (!keys.length) return
  await db.query(sql`delete from timers where kind = ${ALERT_TIMER_KIND}
    and key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`)
}

/**
 * One firing of an `alert-plan` timer: the next `planBatch` records of the entity (by id, locked
 * against writes until the chunk commits, so a write's own re-plan comes after) get the alert's
 * timer scheduled or moved, or cancelled when they need none (the alert went or is off, the date
 * is empty or past). A full chunk moves the timer (1 ms earlier: due, and not the firing that is marked fired) on
 * with the last id, so
 * the next round plans the next chunk; a retried chunk plans the same timers again.
 * @example await handlePlanTimer(ctx, deps, timer) // 1,000 quotes planned, next chunk due
 */
export async function handlePlanTimer(
  ctx: AutomationCtx,
  deps: AlertDeps,
  timer: Timer,
): Promise<void> {
  const { alert: alertId, entity, after } = timer.payload as unknown as PlanPayload
  const meta = await deps.metadata(ctx.db)
  const found = meta.alerts.get(alertId)
  const alert = found?.entity === entity && dateShapeOf(found) ? found : null
  if (!meta.entities.has(entity)) {
    await ctx.db.query(sql`delete from timers where kind = ${ALERT_TIMER_KIND}
      and entity = ${entity} and payload->>'alert' = ${alertId}`)
    return
  }
  const limit = deps.planBatch ?? DEFAULT_PLAN_BATCH
  const records = await readRecordChunk(ctx.db, meta, entity, after, limit, { share: true })
  const now = ctx.clock.now()
  const plans: AlertTimerPlan[] = []
  const cancels: string[] = []
  for (const record of records) {
    const [next] = alert ? planDateTimers(alert, record, now, { timeZone: deps.timeZone }) : []
    if (next) plans.push(next)
    else cancels.push(alertTimerKey(alertId, String(record.id)))
  }
  await upsertAlertTimers(ctx.db, plans)
  await cancelAlertTimers(ctx.db, cancels)
  if (records.length < limit) return
  await continueWalk(ctx.db, timer, { alert: alertId, entity, after: lastId(records) })
}

/**
 * The next `limit` records of `entity` in id order after `after` (null: from the first), for a
 * timer that walks a table a chunk per firing; `share` locks them against a concurrent delete.
 * @example const records = await readRecordChunk(db, meta, 'quote', null, 1000)
 */
export async function readRecordChunk(
  db: Db,
  meta: MetadataSet,
  entity: string,
  after: string | null,
  limit: number,
  options: { share?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const plan = entityPlan(meta, entity)
  const rows = await db.query(sql`select ${plan.selectList} from ${plan.table}
    where ${after === null ? sql`true` : sql`id > ${after}::uuid`}
    order by id limit ${limit} ${options.share ? sql`for share` : sql``}`)
  return rows.map((row) => plan.toRecord(row))
}

/** The id of the last record of a chunk: where the walk goes on. */
export const lastId = (records: Record<string, unknown>[]) => String(records[records.length - 1].id)

/**
 * Moves a walking timer on with `payload` (which names where it goes on), 1 ms earlier than it
 * was due: due at once, and not the firing the automation marks fired.
 */
export async function continueWalk(
  db: Db,
  timer: Timer,
  payload: Record<string, unknown>,
): Promise<void> {
  await scheduleTimer(db, {
    kind: timer.kind,
    key: timer.key,
    dueAt: new Date(timer.dueAt.getTime() - 1),
    payload,
  })
}
