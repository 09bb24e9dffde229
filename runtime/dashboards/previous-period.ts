/*
 * The period before a report's date range, for a KPI compared with it: the same named period one
 * step back (this month → last month), or explicit dates as long as the range and just before it.
 */

/** Named periods whose previous period has a name of its own. */
const PREVIOUS_NAMED: Record<string, string> = {
  today: 'yesterday',
  thisWeek: 'lastWeek',
  thisMonth: 'lastMonth',
  thisQuarter: 'lastQuarter',
  thisYear: 'lastYear',
  thisFiscalYear: 'lastFiscalYear',
}

const LAST_DAYS = /^last(7|30|90|365)Days$/
const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/
const DAY_MS = 86_400_000

const toDay = (d: Date) => d.toISOString().slice(0, 10)
const dayOf = (text: string) => new Date(`${text}T00:00:00Z`)
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS)
const addMonths = (d: Date, n: number) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()))

/** Whether `from..to` covers whole calendar months (the 1st to a month's last day). */
function monthsCovered(from: Date, to: Date): number | null {
  if (from.getUTCDate() !== 1 || addDays(to, 1).getUTCDate() !== 1) return null
  const end = addDays(to, 1)
  return (
    (end.getUTCFullYear() - from.getUTCFullYear()) * 12 + end.getUTCMonth() - from.getUTCMonth()
  )
}

/** The explicit range before `from..to`: as many whole months, else as many days. */
function previousOfRange(fromText: string, toText: string): string | null {
  const from = dayOf(fromText)
  const to = dayOf(toText)
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) return null
  const months = monthsCovered(from, to)
  if (months !== null) return `${toDay(addMonths(from, -months))}..${toDay(addDays(from, -1))}`
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1
  return `${toDay(addDays(from, -days))}..${toDay(addDays(to, -days))}`
}

/**
 * The value of a date-range parameter for the period before `value`, or null when there is none
 * to take (an open range, or a period already in the past such as `lastMonth`).
 * @example toPreviousPeriod('thisMonth', now) // 'lastMonth'
 * @example toPreviousPeriod('last30Days', new Date('2026-12-06T09:00:00Z')) // '2026-10-08..2026-11-06'
 */
export function toPreviousPeriod(value: string, now: Date): string | null {
  if (Object.hasOwn(PREVIOUS_NAMED, value)) return PREVIOUS_NAMED[value]
  const days = LAST_DAYS.exec(value)
  if (days) {
    const n = Number(days[1])
    const today = dayOf(toDay(now))
    return `${toDay(addDays(today, 1 - 2 * n))}..${toDay(addDays(today, -n))}`
  }
  const range = RANGE.exec(value)
  return range ? previousOfRange(range[1], range[2]) : null
}
