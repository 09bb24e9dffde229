/**
 * Calendar arithmetic for the rule operators, on plain 'YYYY-MM-DD' strings in UTC.
 * Integer civil-date math (no `Date` month quirks, no two-digit-year mapping), chosen to give the
 * same answers as PostgreSQL's `date + make_interval(...)` so filters compiled to SQL agree with
 * rules evaluated in JavaScript.
 */

/** A calendar day. `month` is 1–12. */
export interface CivilDate {
  year: number
  month: number
  day: number
}

export const DATE_UNITS = ['day', 'week', 'month', 'year'] as const
export type DateUnit = (typeof DATE_UNITS)[number]
export const DIFF_UNITS = ['day', 'month', 'year'] as const
export type DiffUnit = (typeof DIFF_UNITS)[number]

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function toEpochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Inverse of toEpochDay (civil_from_days). */
export function fromEpochDay(days: number): CivilDate {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** 'YYYY-MM-DD' → CivilDate when it names a real day, else null. */
export function parseDateOnly(value: unknown): CivilDate | null {
  if (typeof value !== 'string') return null
  const m = DATE_ONLY.exec(value)
  if (!m) return null
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
  if (date.month < 1 || date.month > 12) return null
  if (date.day < 1 || date.day > daysInMonth(date.year, date.month)) return null
  return date
}

/** A date or an ISO datetime string → its UTC calendar day; anything else → null. */
export function toCivilDate(value: unknown): CivilDate | null {
  const date = parseDateOnly(value)
  if (date || typeof value !== 'string') return date
  const ms = Date.parse(value)
  if (!value.includes('T') || Number.isNaN(ms)) return null
  return fromEpochDay(Math.floor(ms / MS_PER_DAY))
}

/**
 * CivilDate → 'YYYY-MM-DD'. Years outside 1–9999 → null: they have no 4-digit form that sorts
 * correctly, and the SQL side maps them to NULL as well.
 */
export function formatDate(date: CivilDate): string | null {
  if (date.year < 1 || date.year > 9999) return null
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`
}

/** The UTC calendar day of an instant, 'YYYY-MM-DD'. */
export function utcDate(at: Date): string {
  return (
    formatDate(fromEpochDay(Math.floor(at.getTime() / MS_PER_DAY))) ?? at.toISOString().slice(0, 10)
  )
}

/**
 * Adds n days / weeks / months / years. Months and years clamp to the month's last day
 * (2024-01-31 + 1 month = 2024-02-29), exactly like PostgreSQL's date + interval.
 */
export function addToDate(value: unknown, n: unknown, unit: unknown): string | null {
  const date = toCivilDate(value)
  if (!date || typeof n !== 'number' || !Number.isInteger(n)) return null
  switch (unit) {
    case 'day':
      return formatDate(fromEpochDay(toEpochDay(date) + n))
    case 'week':
      return formatDate(fromEpochDay(toEpochDay(date) + 7 * n))
    case 'month':
      return addMonths(date, n)
    case 'year':
      return addMonths(date, 12 * n)
    default:
      return null
  }
}

function addMonths(date: CivilDate, n: number): string | null {
  const total = date.year * 12 + (date.month - 1) + n
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  return formatDate({ year, month, day: Math.min(date.day, daysInMonth(year, month)) })
}

/**
 * b − a. 'day': whole days, floored (datetimes count their time of day). 'month' / 'year': whole
 * calendar months / years, truncated toward zero: a month is complete once b's day of month
 * reaches a's (2024-01-31 → 2024-02-29 is 0 months).
 */
export function diffDates(a: unknown, b: unknown, unit: unknown): number | null {
  const from = toInstant(a)
  const to = toInstant(b)
  if (from === null || to === null) return null
  if (unit === 'day') return Math.floor((to - from) / MS_PER_DAY)
  if (unit !== 'month' && unit !== 'year') return null
  const months = monthsBetween(toCivilDate(a) as CivilDate, toCivilDate(b) as CivilDate, to >= from)
  return unit === 'month' ? months : Math.trunc(months / 12)
}

function monthsBetween(a: CivilDate, b: CivilDate, forward: boolean): number {
  const raw = b.year * 12 + b.month - (a.year * 12 + a.month)
  if (forward && b.day < a.day) return raw - 1
  if (!forward && b.day > a.day) return raw + 1
  return raw
}

function toInstant(value: unknown): number | null {
  const date = parseDateOnly(value)
  if (date) return toEpochDay(date) * MS_PER_DAY
  return toCivilDate(value) ? Date.parse(value as string) : null
}
