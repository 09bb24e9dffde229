import type { Alert } from '../../metadata/alert'
import { SYSTEM_USER, type Ctx } from '../context'
import type { AutomationCtx, HandlerRegistry, OutboxEvent } from '../jobs/event-handlers'
import type { Timer } from '../jobs/timers'
import { scheduleTimer } from '../jobs/timers'
import type { MetadataSet } from '../registry'
import { evaluateRule, isTruthy } from '../rules'
import type { AlertDeps } from './alert-deps'
import { ALERT_BROADCAST_TIMER_KIND, handleBroadcastTimer, startBroadcast } from './alert-broadcast'
import { isAlertLoop, readWriteOrigin } from './alert-origin'
import { syncDateTimers } from './alert-timers'
import { readAsSystem } from './group-channels'
import {
  alertConditionHolds,
  isAlertEventKind,
  matchEventAlerts,
  type AlertEventKind,
  type EventChanges,
  type SlaMilestoneInfo,
  TRANSITION_EVENT,
  type TransitionInfo,
} from './match-event-alerts'
import { nextScheduleRun } from './next-schedule-run'
import { ALERT_PLAN_TIMER_KIND, handlePlanTimer } from './alert-plans'
import { ALERT_TIMER_KIND, planDateTimers } from './plan-date-timers'
import { queueAlertDeliveries } from './queue-deliveries'
import { loadRecipientUser } from './recipient-view'
import { registerAlertJobs } from './deliver-alert'

/** The name alerts' event handler is registered under. */
export const ALERT_EVENT_HANDLER = 'alerts'

function systemCtx(ctx: AutomationCtx, meta: MetadataSet): Ctx {
  return { db: ctx.db, clock: ctx.clock, log: ctx.log, meta, user: SYSTEM_USER }
}

/**
 * One outbox event: the entity's enabled alerts whose trigger and condition match get their
 * deliveries queued (record = the row read now; previous = put back from the changes) — except
 * those whose own actions made the write (`isAlertLoop`: an alert setting a field of the record
 * it fired on fires once, not endlessly) — and
 * the record's date alert timers are scheduled, moved or cancelled. An `sla.warning` or
 * `sla.breach` milestone fires the `sla` alerts of its target; it moves no date timer.
 */
export async function handleAlertEvent(
  ctx: AutomationCtx,
  deps: AlertDeps,
  event: OutboxEvent,
): Promise<void> {
  const meta = await deps.metadata(ctx.db)
  const alerts = [...meta.alerts.values()].filter(
    (a) => a.entity === event.entity && a.enabled !== false,
  )
  if (alerts.length === 0 || !meta.entities.has(event.entity)) return
  const kind = event.event
  if (!isAlertEventKind(kind)) return
  const payload = event.payload as {
    changes?: EventChanges
    id?: string
    version?: number
  } & SlaMilestoneInfo &
    TransitionInfo
  const changes = payload.changes ?? {}
  // A deleted row cannot be read again; its event carries its values before the delete.
  const record =
    kind === 'deleted'
      ? {
          ...Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.before])),
          id: event.recordId,
        }
      : await readAsSystem(systemCtx(ctx, meta), { entity: event.entity, recordId: event.recordId })
  if (!record) return
  const writer = event.userId ? await loadRecipientUser(ctx, event.userId) : null
  const transition = {
    flow: payload.flow,
    from: payload.from,
    to: payload.to,
    action: payload.action,
  }
  // A flow's move that updated the record is told in the update's event: both kinds fire.
  const kinds: AlertEventKind[] =
    kind === 'updated' && payload.flow !== undefined ? [kind, TRANSITION_EVENT] : [kind]
  const matched = kinds.flatMap((fired) =>
    matchEventAlerts(alerts, {
      entity: event.entity,
      event: fired,
      payload: { changes, id: event.recordId, version: payload.version ?? 0 },
      record,
      user: writer ? { ...writer } : null,
      now: ctx.clock.now(),
      sla: { sla: payload.sla, target: payload.target },
      transition,
    }).map((alert) => ({ alert, fired })),
  )
  const chain = matched.length
    ? await readWriteOrigin(ctx.db, {
        entity: event.entity,
        recordId: event.recordId,
        version: payload.version,
        userId: event.userId,
      })
    : []
  const previous =
    kind === 'updated'
      ? Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.before]))
      : null
  for (const { alert, fired } of matched.filter((m) => !isAlertLoop(m.alert, chain)))
    await queueAlertDeliveries(ctx, meta, alert, {
      id: String(event.id),
      event: fired,
      entity: event.entity,
      recordId: event.recordId,
      record,
      previous: previous && { ...record, ...previous },
      snapshot: kind === 'deleted' ? record : null,
    })
  // Milestones and transitions move no date timer: the writes that change dates have their own.
  if (kind.startsWith('sla.') || kind === TRANSITION_EVENT) return
  const timeZone = deps.timeZone ?? 'UTC'
  await syncDateTimers(ctx.db, alerts, event.entity, kind, record, ctx.clock.now(), timeZone)
}

/** Whether a repeat of a date alert still fires: the first always, later ones while `while` holds. */
function repeatHolds(alert: Alert, record: Record<string, unknown>, occurrence: number, at: Date) {
  const { trigger } = alert
  if (occurrence === 0 || trigger.type !== 'dateOffset' || trigger.while === undefined) return true
  const data = { record, previous: null, $user: null }
  return isTruthy(evaluateRule(trigger.while, data, { now: at, path: 'trigger.while' }))
}

/**
 * A due `alert` timer: a schedule alert fires and its timer moves to the next cron run; a date
 * alert fires for its record when the condition holds (and, for a repeat, `while` holds), and a
 * repeating one moves to its next occurrence. A removed or disabled alert, or a deleted record,
 * fires nothing.
 */
export async function handleAlertTimer(
  ctx: AutomationCtx,
  deps: AlertDeps,
  timer: Timer,
): Promise<void> {
  const meta = await deps.metadata(ctx.db)
  const alert = meta.alerts.get(String(timer.payload.alert))
  if (!alert || alert.enabled === false) return
  const firing = `timer:${timer.id}@${timer.dueAt.toISOString()}`
  if (alert.trigger.type === 'schedule') {
    // With an entity, each run fires for every record whose condition holds, chunk by chunk.
    if (alert.entity) await startBroadcast(ctx, alert, firing, timer.dueAt)
    else {
      const base = { id: firing, entity: null, recordId: null, record: {}, previous: null }
      await queueAlertDeliveries(ctx, meta, alert, { ...base, event: 'schedule' })
    }
    // After downtime the next run counts from now: missed runs are not sent one after another.
    const after = new Date(Math.max(+timer.dueAt, +ctx.clock.now()))
    const next = nextScheduleRun(alert, after)
    if (next)
      await scheduleTimer(ctx.db, {
        kind: timer.kind,
        key: timer.key,
        dueAt: next,
        payload: timer.payload,
      })
    return
  }
  if (alert.trigger.type !== 'dateOffset' || !alert.entity || !timer.recordId) return
  const entity = alert.entity
  const record = await readAsSystem(systemCtx(ctx, meta), { entity, recordId: timer.recordId })
  if (!record) return
  const occurrence = Number(timer.payload.occurrence ?? 0)
  if (!repeatHolds(alert, record, occurrence, timer.dueAt)) return
  const data = { record, previous: null, $user: null }
  if (alertConditionHolds(alert, data, timer.dueAt))
    await queueAlertDeliveries(ctx, meta, alert, {
      id: firing,
      event: 'date',
      entity,
      recordId: timer.recordId,
      record,
      previous: null,
    })
  const [next] = planDateTimers(alert, record, timer.dueAt, { timeZone: deps.timeZone })
  if (next && next.dueAt > timer.dueAt) await scheduleTimer(ctx.db, next)
}

/**
 * Registers alerts with automation: the `alerts` event handler, the `alert` timer handler and
 * the `alert-plan` one (a published date alert planning the records already there).
 * Deliveries run as `alert-delivery` jobs: call `registerAlertJobs` where jobs run.
 * @example registerAlertHandlers(registerBuiltInHandlers(createHandlerRegistry()), deps)
 */
export function registerAlertHandlers(handlers: HandlerRegistry, deps: AlertDeps): HandlerRegistry {
  handlers.onEvent(ALERT_EVENT_HANDLER, (ctx, event) => handleAlertEvent(ctx, deps, event))
  handlers.onTimer(ALERT_TIMER_KIND, (ctx, timer) => handleAlertTimer(ctx, deps, timer))
  handlers.onTimer(ALERT_PLAN_TIMER_KIND, (ctx, timer) => handlePlanTimer(ctx, deps, timer))
  handlers.onTimer(ALERT_BROADCAST_TIMER_KIND, (ctx, timer) =>
    handleBroadcastTimer(ctx, deps, timer),
  )
  registerAlertJobs(handlers, deps)
  return handlers
}
