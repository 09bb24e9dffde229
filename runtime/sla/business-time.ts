import { WEEKDAYS, toDayMinute, type Calendar, type WorkPeriod } from '../../metadata'
import { addDays, toInstant, toWallTime, type WallTime } from '../alerts/zoned-time'

/*
 * Business time: the working periods of a calendar, read as local wall times in its zone and
 * turned into instants day by day. A period's length is real elapsed time, so a working hour
 * skipped by a daylight-saving jump counts for nothing and a repeated one counts twice.
 */

const MINUTE_MS = 60_000

/** How far ahead a target may fall before the calendar is taken to have no working time. */
const HORIZON_DAYS = 3 * 366

interface PreparedCalendar {
  zone: string
  /** Periods in minutes of the day, by JavaScript weekday (0 = Sunday). */
  week: [number, number][][]
  holidays: Set<string>
  workdays: Map<string, [number, number][]>
}

const prepared = new WeakMap<Calendar, PreparedCalendar>()

function toMinutes(periods: readonly WorkPeriod[] | undefined): [number, number][] {
  return (periods ?? []).map((p) => [toDayMinute(p.from), toDayMinute(p.to)])
}

function prepare(cal: Calendar): PreparedCalendar {
  let p = prepared.get(cal)
  if (!p) {
    const week: [number, number][][] = []
    WEEKDAYS.forEach((day, i) => (week[(i + 1) % 7] = toMinutes(cal.hours[day])))
    const monday = toMinutes(cal.hours.mon)
    p = {
      zone: cal.timeZone,
      week,
      holidays: new Set((cal.holidays ?? []).map((h) => h.date)),
      workdays: new Map(
        (cal.workdays ?? []).map((w) => [w.date, w.hours ? toMinutes(w.hours) : monday]),
      ),
    }
    prepared.set(cal, p)
  }
  return p
}

const pad = (n: number) => String(n).padStart(2, '0')

/** 'YYYY-MM-DD' of a local date. */
function dateKey(day: WallTime): string {
  return `${day.year}-${pad(day.month)}-${pad(day.day)}`
}

/** The working periods of one local date, as [start, end) instants in milliseconds. */
function periodsOn(cal: PreparedCalendar, day: WallTime): [number, number][] {
  const key = dateKey(day)
  if (cal.holidays.has(key)) return []
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()
  const minutes = cal.workdays.get(key) ?? cal.week[weekday]
  const at = (m: number) =>
    +toInstant({ ...day, hour: Math.floor(m / 60), minute: m % 60 }, cal.zone)
  return minutes.map(([from, to]) => [at(from), at(to)])
}

function localDay(instant: number, zone: string): WallTime {
  const w = toWallTime(new Date(instant), zone)
  return { year: w.year, month: w.month, day: w.day, hour: 0, minute: 0 }
}

/**
 * The instant `minutes` business minutes after `start` in `cal` (0 or less: `start` itself).
 * Throws when the calendar has no working time within three years.
 * @example addBusinessMinutes(chinaOffice, new Date('2027-09-30T09:00:00Z'), 60)
 * // 2027-10-08T02:00:00.000Z: 17:00–18:00 in Shanghai is after the National Day holidays
 */
export function addBusinessMinutes(cal: Calendar, start: Date, minutes: number): Date {
  let left = minutes * MINUTE_MS
  if (!(left > 0)) return new Date(start)
  const p = prepare(cal)
  let cursor = +start
  let day = localDay(cursor, p.zone)
  for (let i = 0; i < HORIZON_DAYS; i++, day = addDays(day, 1)) {
    for (const [from, to] of periodsOn(p, day)) {
      if (to <= cursor) continue
      const begin = Math.max(from, cursor)
      if (left <= to - begin) return new Date(begin + left)
      left -= to - begin
      cursor = to
    }
  }
  throw new Error(`calendar ${cal.id} has no working time within ${HORIZON_DAYS} days`)
}

/**
 * Business minutes between two instants in `cal` (0 when `to` is not after `from`); fractions
 * of a minute are kept.
 * @example businessMinutesBetween(chinaOffice, friday17h, monday10h) // 120
 */
export function businessMinutesBetween(cal: Calendar, from: Date, to: Date): number {
  if (+to <= +from) return 0
  const p = prepare(cal)
  const last = dateKey(localDay(+to, p.zone))
  let total = 0
  for (let day = localDay(+from, p.zone); ; day = addDays(day, 1)) {
    for (const [start, end] of periodsOn(p, day))
      total += Math.max(0, Math.min(end, +to) - Math.max(start, +from))
    if (dateKey(day) >= last) break
  }
  return total / MINUTE_MS
}
