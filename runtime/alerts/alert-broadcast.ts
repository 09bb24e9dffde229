import type { Alert } from '../../metadata/alert'
import type { AutomationCtx } from '../jobs/event-handlers'
import { scheduleTimer, type Timer } from '../jobs/timers'
import type { AlertDeps } from './alert-deps'
import { continueWalk, DEFAULT_PLAN_BATCH, lastId, readRecordChunk } from './alert-plans'
import { alertConditionHolds } from './match-event-alerts'
import { queueAlertDeliveries } from './queue-deliveries'

/** The timer kind that walks a scheduled alert's records, a chunk at a time. */
export const ALERT_BROADCAST_TIMER_KIND = 'alert-broadcast'

interface BroadcastPayload {
  alert: string
  /** The schedule run this walk belongs to: part of every delivery key. */
  firing: string
  /** The last record id of the chunk before (null: from the first). */
  after: string | null
}

/**
 * Starts the walk of a schedule alert that names an entity: on each run it fires for every record
 * of the entity whose condition holds (a care SMS to the contacts of level A customers, say),
 * a chunk of records per timer so a big table holds nothing up.
 * @example await startBroadcast(ctx, alert, 'timer:7@2027-09-15T01:00:00.000Z', dueAt)
 */
export async function startBroadcast(
  ctx: AutomationCtx,
  alert: Alert,
  firing: string,
  dueAt: Date,
): Promise<void> {
  await scheduleTimer(ctx.db, {
    kind: ALERT_BROADCAST_TIMER_KIND,
    key: `broadcast:${alert.id}:${firing}`,
    dueAt,
    payload: { alert: alert.id, firing, after: null },
  })
}

/**
 * One chunk of a schedule alert's walk: the next records in id order, each whose condition
 * holds fires (delivery keys `<firing>:<recordId>`, so a retried chunk sends nothing twice); a
 * full chunk moves the timer on past its last id. A removed or disabled alert stops the walk.
 */
export async function handleBroadcastTimer(
  ctx: AutomationCtx,
  deps: AlertDeps,
  timer: Timer,
): Promise<void> {
  const { alert: alertId, firing, after } = timer.payload as unknown as BroadcastPayload
  const meta = await deps.metadata(ctx.db)
  const alert = meta.alerts.get(alertId)
  if (!alert || alert.enabled === false || !alert.entity || !meta.entities.has(alert.entity)) return
  const limit = deps.planBatch ?? DEFAULT_PLAN_BATCH
  const records = await readRecordChunk(ctx.db, meta, alert.entity, after, limit)
  const now = ctx.clock.now()
  for (const record of records) {
    if (!alertConditionHolds(alert, { record, previous: null, $user: null }, now)) continue
    const recordId = String(record.id)
    await queueAlertDeliveries(ctx, meta, alert, {
      id: `${firing}:${recordId}`,
      event: 'schedule',
      entity: alert.entity,
      recordId,
      record,
      previous: null,
    })
  }
  if (records.length < limit) return
  await continueWalk(ctx.db, timer, { alert: alertId, firing, after: lastId(records) })
}
