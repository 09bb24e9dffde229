import type { Alert, DateOffsetTrigger } from '../../metadata/alert'
import { evaluateRule, isTruthy } from '../rules'
import { addDays, toInstant, toWallTime, type WallTime } from './zoned-time'

/** The timer kind every alert timer is stored under. */
export const ALERT_TIMER_KIND = 'alert'

/** A timer to schedule (same shape as the timers port's spec: kind, key, due time, payload). */
export interface AlertTimerPlan {
  kind: typeof ALERT_TIMER_KIND
  key: string
  dueAt: Date
  entity: string
  recordId: string
  payload: { alert: string; occurrence: number }
}

export interface PlanOptions {
  /** The instance time zone that `at` and date fields are read in (default UTC). */
  timeZone?: string
}

/** Local time of day date fields fire at when the trigger names none. */
export const DEFAULT_ALERT_TIME = '09:00'

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

/** The key of an alert's timer for one record: scheduling again moves it, cancelling drops it. */
export function alertTimerKey(alertId: string, recordId: string): string {
  return `${alertId}:${recordId}`
}

function parseTime(at: string): { hour: number; minute: number } {
  const [hour, minute] = at.split(':').map(Number)
  return { hour, minute }
}

/** 'YYYY-MM-DD' naming a real day → its wall date at midnight, else null. */
function parseDate(value: string): WallTime | null {
  const m = DATE_ONLY.exec(value)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return { year, month, day, hour: 0, minute: 0 }
}

/** The wall date `years` after `date`, 29 February falling on the 28th in other years. */
function addYears(date: WallTime, years: number): WallTime {
  const year = date.year + years
  const last = new Date(Date.UTC(year, date.month, 0)).getUTCDate()
  return { ...date, year, day: Math.min(date.day, last) }
}

/**
 * The instant of occurrence `k` (0 = the first): the field's day moved by the offset and `k`
 * repeats (days, or years for `repeatYearly`), at `at` local time; a datetime without `at`
 * keeps its own instant (a yearly one: its own local time of day).
 */
function occurrenceOf(trigger: DateOffsetTrigger, value: string, timeZone: string) {
  const days = trigger.offset?.days ?? 0
  const hoursMs = (trigger.offset?.hours ?? 0) * HOUR_MS
  const every = trigger.repeatEveryDays ?? 0
  let date = parseDate(value)
  let time = parseTime(trigger.at ?? DEFAULT_ALERT_TIME)
  if (!date) {
    const ms = Date.parse(value)
    if (!value.includes('T') || Number.isNaN(ms)) return null
    if (!trigger.at && !trigger.repeatYearly)
      return (k: number) => new Date(ms + (days + k * every) * DAY_MS + hoursMs)
    const local = toWallTime(new Date(ms), timeZone)
    date = { ...local, hour: 0, minute: 0 }
    if (!trigger.at) time = { hour: local.hour, minute: local.minute }
  }
  const day = date
  const at = (wall: WallTime, moved: number) =>
    new Date(toInstant(addDays({ ...wall, ...time }, moved), timeZone).getTime() + hoursMs)
  if (trigger.repeatYearly) return (k: number) => at(addYears(day, k), days)
  return (k: number) => at(day, days + k * every)
}

/** The first repeat `k` ≥ 1 whose instant is after `now` (jump close, then step). */
function nextRepeat(
  trigger: DateOffsetTrigger,
  occurrence: (k: number) => Date,
  now: Date,
): { k: number; dueAt: Date } {
  const first = occurrence(0).getTime()
  // Local days are not always 24 hours long, nor years 365 days: the jump stays short of it.
  const span = trigger.repeatYearly ? 366 * DAY_MS : (trigger.repeatEveryDays ?? 1) * DAY_MS
  let k = Math.max(1, Math.floor((now.getTime() - first) / span))
  let dueAt: Date
  while ((dueAt = occurrence(k)).getTime() <= now.getTime()) k++
  return { k, dueAt }
}

/**
 * The timers a record needs for a `dateOffset` alert: one, due at the first occurrence after
 * `now` — the date field moved by the offset, at `at` (date fields: 09:00) in the instance time
 * zone; with `repeatEveryDays` or `repeatYearly` (the same month and day each year: birthdays),
 * the next repeat while `while` holds. None when the alert is off,
 * the date is empty, or it is past and does not repeat: the caller then cancels the timer under
 * `alertTimerKey`. The alert's condition is checked when the timer fires, not here.
 * @example planDateTimers(quoteExpiry, { id, validUntil: '2026-03-10' }, now, { timeZone: 'Asia/Shanghai' })
 * // [{ kind: 'alert', key: 'quote-expiry:<id>', dueAt: 2026-03-07T01:00:00.000Z, … }]
 */
export function planDateTimers(
  alert: Alert,
  record: Record<string, unknown>,
  now: Date,
  options: PlanOptions = {},
): AlertTimerPlan[] {
  const { trigger } = alert
  if (trigger.type !== 'dateOffset' || alert.enabled === false || !alert.entity) return []
  const value = record[trigger.field]
  const recordId = record.id
  if (typeof value !== 'string' || typeof recordId !== 'string') return []
  const occurrence = occurrenceOf(trigger, value, options.timeZone ?? 'UTC')
  if (!occurrence) return []
  let k = 0
  let dueAt = occurrence(0)
  if (dueAt.getTime() <= now.getTime()) {
    if (!trigger.repeatEveryDays && !trigger.repeatYearly) return []
    if (trigger.while !== undefined) {
      const data = { record, previous: null, $user: null }
      if (!isTruthy(evaluateRule(trigger.while, data, { now, path: 'trigger.while' }))) return []
    }
    ;({ k, dueAt } = nextRepeat(trigger, occurrence, now))
  }
  return [
    {
      kind: ALERT_TIMER_KIND,
      key: alertTimerKey(alert.id, recordId),
      dueAt,
      entity: alert.entity,
      recordId,
      payload: { alert: alert.id, occurrence: k },
    },
  ]
}
