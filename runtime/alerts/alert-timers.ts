import { sql } from 'drizzle-orm'
import type { Alert } from '../../metadata/alert'
import type { Db } from '../db'
import { cancelRecordTimers, cancelTimer, scheduleTimer } from '../jobs/timers'
import { ALERT_TIMER_KIND, alertTimerKey, planDateTimers } from './plan-date-timers'
import { nextScheduleRun } from './next-schedule-run'
import { schedulePlanTimers } from './alert-plans'

/** The key of a schedule alert's one timer. */
export function scheduleTimerKey(alertId: string): string {
  return `schedule:${alertId}`
}

/**
 * Keeps a record's `dateOffset` alert timers right after a write: each enabled date alert of
 * the entity gets its timer scheduled at the next occurrence (moved when the date moved), or
 * cancelled when there is none (date cleared, past and not repeating); a deleted record loses
 * all of its timers. Answers how many timers were scheduled.
 * @example await syncDateTimers(tx, alerts, 'quote', 'updated', record, clock.now(), 'Asia/Seoul')
 */
export async function syncDateTimers(
  db: Db,
  alerts: readonly Alert[],
  entity: string,
  event: string,
  record: Record<string, unknown>,
  now: Date,
  timeZone: string,
): Promise<number> {
  const recordId = String(record.id)
  if (event === 'deleted') {
    await cancelRecordTimers(db, entity, recordId)
    return 0
  }
  let scheduled = 0
  for (const alert of alerts) {
    if (alert.entity !== entity || alert.trigger.type !== 'dateOffset') continue
    const [plan] = planDateTimers(alert, record, now, { timeZone })
    if (plan) {
      await scheduleTimer(db, plan)
      scheduled++
    } else await cancelTimer(db, ALERT_TIMER_KIND, alertTimerKey(alert.id, recordId))
  }
  return scheduled
}

/**
 * Puts each schedule alert's timer at its next run after `now` when it is new or its cron,
 * zone or switch changed, and drops the timers of schedule alerts that went (removed, disabled,
 * no longer a schedule). An unchanged alert keeps its timer, so a run that is due (downtime)
 * still fires. Runs inside the publish transaction.
 * @example await syncScheduleTimers(tx, published.bundle.alerts, next.alerts, clock.now())
 */
export async function syncScheduleTimers(
  db: Db,
  before: readonly Alert[],
  after: readonly Alert[],
  now: Date,
): Promise<void> {
  const old = new Map(before.map((a) => [a.id, scheduleOf(a)]))
  for (const alert of after) {
    const next = nextScheduleRun(alert, now)
    const same = old.get(alert.id) === scheduleOf(alert)
    if (!next) await cancelTimer(db, ALERT_TIMER_KIND, scheduleTimerKey(alert.id))
    else if (!same || !(await hasTimer(db, scheduleTimerKey(alert.id))))
      await scheduleTimer(db, {
        kind: ALERT_TIMER_KIND,
        key: scheduleTimerKey(alert.id),
        dueAt: next,
        payload: { alert: alert.id, schedule: true },
      })
  }
  const kept = new Set(after.map((a) => a.id))
  for (const alert of before)
    if (!kept.has(alert.id)) await cancelTimer(db, ALERT_TIMER_KIND, scheduleTimerKey(alert.id))
}

/** What decides a schedule alert's runs: its cron, zone and whether it is on. */
function scheduleOf(alert: Alert): string {
  const t = alert.trigger
  return t.type === 'schedule' ? `${t.cron}|${t.timeZone}|${alert.enabled !== false}` : ''
}

async function hasTimer(db: Db, key: string): Promise<boolean> {
  const rows = await db.query(
    sql`select 1 from timers where kind = ${ALERT_TIMER_KIND} and key = ${key}`,
  )
  return rows.length > 0
}

/**
 * What a publish does for alert timers, in its transaction: schedule alerts' timers move to
 * their next run (`syncScheduleTimers`), and date alerts that are new, changed or gone start
 * planning (or cancelling) the timers of the records already there (`schedulePlanTimers`).
 * @example await syncAlertTimers(tx, published.bundle.alerts, next.alerts, clock.now())
 */
export async function syncAlertTimers(
  db: Db,
  before: readonly Alert[],
  after: readonly Alert[],
  now: Date,
): Promise<void> {
  await syncScheduleTimers(db, before, after, now)
  await schedulePlanTimers(db, before, after, now)
}
