import { sql, type SQL } from 'drizzle-orm'
import type { DateBucket, RelativeRange } from '../../metadata/report'

/*
 * Calendar arithmetic of reports: date buckets in SQL and in TypeScript (their labels are in
 * bucket-label.ts) and the named periods of date-range parameters. Days are UTC days, like the
 * rules' `today`.
 */

/** An inclusive range of days, `YYYY-MM-DD`; a side left out is open. */
export interface DayRange {
  from?: string
  to?: string
}

/** A datetime column as its UTC day; a date column as it is. */
export function dayOf(column: SQL, isDatetime: boolean): SQL {
  return isDatetime ? sql`(${column} at time zone 'UTC')::date` : column
}

/** The first day of the bucket a day falls in, as a date (fiscal ones start in `fiscalStart`). */
export function bucketSql(day: SQL, bucket: DateBucket, fiscalStart: number): SQL {
  const shift = sql`make_interval(months => ${fiscalStart - 1}::int)`
  switch (bucket) {
    case 'day':
      return day
    case 'fiscalQuarter':
      return sql`(date_trunc('quarter', ${day}::timestamp - ${shift}) + ${shift})::date`
    case 'fiscalYear':
      return sql`(date_trunc('year', ${day}::timestamp - ${shift}) + ${shift})::date`
    default:
      return sql`date_trunc(${sql.raw(`'${bucket}'`)}, ${day}::timestamp)::date`
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A UTC date as `YYYY-MM-DD`. */
export const toDay = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d))
const addDays = (d: Date, n: number) => utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n)
const addMonths = (d: Date, n: number) => utc(d.getUTCFullYear(), d.getUTCMonth() + n, 1)

/** First day of the fiscal year (starting in month `start`) a day falls in. */
function fiscalYearOf(day: Date, start: number): Date {
  const y = day.getUTCFullYear()
  const fy = day.getUTCMonth() + 1 >= start ? y : y - 1
  return utc(fy, start - 1, 1)
}

const span = (first: Date, next: Date): DayRange => ({
  from: toDay(first),
  to: toDay(addDays(next, -1)),
})

/**
 * The days of a named period around `now` (UTC), with fiscal ones starting in `fiscalStart`.
 * @example relativeRange('lastMonth', new Date('2026-03-15'), 1) // { from: '2026-02-01', to: '2026-02-28' }
 */
export function relativeRange(range: RelativeRange, now: Date, fiscalStart: number): DayRange {
  const today = utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const monday = addDays(today, -((today.getUTCDay() + 6) % 7))
  const month = utc(today.getUTCFullYear(), today.getUTCMonth(), 1)
  const quarter = utc(today.getUTCFullYear(), Math.floor(today.getUTCMonth() / 3) * 3, 1)
  const year = utc(today.getUTCFullYear(), 0, 1)
  const fiscalYear = fiscalYearOf(today, fiscalStart)
  const fiscalQuarter = addMonths(
    fiscalYear,
    Math.floor(((today.getUTCMonth() + 1 - fiscalStart + 12) % 12) / 3) * 3,
  )
  const lastDays = (n: number) => ({ from: toDay(addDays(today, 1 - n)), to: toDay(today) })
  switch (range) {
    case 'today':
      return span(today, addDays(today, 1))
    case 'yesterday':
      return span(addDays(today, -1), today)
    case 'thisWeek':
      return span(monday, addDays(monday, 7))
    case 'lastWeek':
      return span(addDays(monday, -7), monday)
    case 'thisMonth':
      return span(month, addMonths(month, 1))
    case 'lastMonth':
      return span(addMonths(month, -1), month)
    case 'thisQuarter':
      return span(quarter, addMonths(quarter, 3))
    case 'lastQuarter':
      return span(addMonths(quarter, -3), quarter)
    case 'thisYear':
      return span(year, addMonths(year, 12))
    case 'lastYear':
      return span(addMonths(year, -12), year)
    case 'thisFiscalQuarter':
      return span(fiscalQuarter, addMonths(fiscalQuarter, 3))
    case 'thisFiscalYear':
      return span(fiscalYear, addMonths(fiscalYear, 12))
    case 'lastFiscalYear':
      return span(addMonths(fiscalYear, -12), fiscalYear)
    case 'last7Days':
      return lastDays(7)
    case 'last30Days':
      return lastDays(30)
    case 'last90Days':
      return lastDays(90)
    case 'last365Days':
      return lastDays(365)
  }
}

/**
 * The first day of the bucket `day` falls in (as `bucketSql` computes it in SQL), and the first
 * day of the next bucket: a trend walks its periods with these.
 * @example bucketStart('2026-05-17', 'quarter', 1) // '2026-04-01'
 */
export function bucketStart(day: string, bucket: DateBucket, fiscalStart: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const date = utc(y, m - 1, d)
  switch (bucket) {
    case 'day':
      return day
    case 'week':
      return toDay(addDays(date, -((date.getUTCDay() + 6) % 7)))
    case 'month':
      return toDay(utc(y, m - 1, 1))
    case 'quarter':
      return toDay(utc(y, Math.floor((m - 1) / 3) * 3, 1))
    case 'year':
      return toDay(utc(y, 0, 1))
    case 'fiscalQuarter': {
      const fy = fiscalYearOf(date, fiscalStart)
      return toDay(addMonths(fy, Math.floor(((m - fiscalStart + 12) % 12) / 3) * 3))
    }
    case 'fiscalYear':
      return toDay(fiscalYearOf(date, fiscalStart))
  }
}

/** The first day of the bucket after the one starting on `first`. */
export function nextBucketStart(first: string, bucket: DateBucket): string {
  const [y, m, d] = first.split('-').map(Number)
  const date = utc(y, m - 1, d)
  const months = { month: 1, quarter: 3, fiscalQuarter: 3, year: 12, fiscalYear: 12 }
  if (bucket === 'day') return toDay(addDays(date, 1))
  if (bucket === 'week') return toDay(addDays(date, 7))
  return toDay(addMonths(date, months[bucket]))
}
