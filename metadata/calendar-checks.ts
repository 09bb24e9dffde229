import { isTimeZone } from './alert-checks'
import { WEEKDAYS, type Calendar, type WorkPeriod } from './calendar'
import { validateUnique } from './duplicates'
import { toIssue, type MetadataIssue } from './issue'

/** Minutes since midnight of an 'HH:mm' text ('24:00' is 1440). */
export function toDayMinute(text: string): number {
  const [h, m] = text.split(':').map(Number)
  return h * 60 + m
}

/** Whether 'YYYY-MM-DD' names a real day (the schema lets 2027-02-30 through). */
function isRealDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number)
  const utc = new Date(Date.UTC(y, m - 1, d))
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d
}

function validatePeriods(periods: readonly WorkPeriod[], path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  let end = -1
  periods.forEach((p, i) => {
    const from = toDayMinute(p.from)
    const to = toDayMinute(p.to)
    if (from === 1440)
      issues.push(toIssue(`${path}[${i}].from`, "'24:00' ends a day, it cannot start a period"))
    else if (to <= from) issues.push(toIssue(`${path}[${i}].to`, `must be after from (${p.from})`))
    else if (from < end)
      issues.push(toIssue(`${path}[${i}].from`, 'overlaps or comes before the previous period'))
    end = Math.max(end, to)
  })
  return issues
}

/**
 * The problems of a calendar a schema cannot see: an unknown time zone, periods out of order or
 * overlapping, impossible or repeated dates, a date both holiday and workday, no working time.
 * @example validateCalendar(cal) // [{ path: 'hours.mon[1].from', message: 'overlaps …' }]
 */
export function validateCalendar(cal: Calendar): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (!isTimeZone(cal.timeZone))
    issues.push(toIssue('timeZone', `'${cal.timeZone}' is not an IANA time zone`))
  for (const day of WEEKDAYS) {
    const periods = cal.hours[day]
    if (periods) issues.push(...validatePeriods(periods, `hours.${day}`))
  }
  ;(cal.workdays ?? []).forEach((w, i) => {
    if (w.hours) issues.push(...validatePeriods(w.hours, `workdays[${i}].hours`))
  })
  const dated = [
    ...(cal.holidays ?? []).map((h, i) => ({ date: h.date, path: `holidays[${i}].date` })),
    ...(cal.workdays ?? []).map((w, i) => ({ date: w.date, path: `workdays[${i}].date` })),
  ]
  for (const d of dated)
    if (!isRealDate(d.date)) issues.push(toIssue(d.path, `${d.date} is not a date`))
  issues.push(
    ...validateUnique(
      dated,
      (d) => d.date,
      (i) => dated[i].path,
      'date',
    ),
  )
  const weekly = WEEKDAYS.some((d) => (cal.hours[d] ?? []).length > 0)
  if (!weekly)
    issues.push(toIssue('hours', 'no weekday has working time: targets would never be due'))
  else if ((cal.workdays ?? []).some((w) => !w.hours) && !(cal.hours.mon ?? []).length)
    issues.push(toIssue('workdays', "a workday without hours takes Monday's, and Monday has none"))
  return issues
}
