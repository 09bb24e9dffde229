/**
 * Words for the jobs page: durations and times in the reader's language, and the engine's job
 * names as words where the engine has one.
 */

const UNITS: [Intl.NumberFormatOptions['unit'], number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
]

/**
 * A duration in whole units of `locale`, the largest that fits ("3 min", "3分钟", "3분").
 * @example formatDuration(185_000, 'en') // '3 min'
 */
export function formatDuration(ms: number, locale: string): string {
  const [unit, size] = UNITS.find(([, size]) => ms >= size) ?? UNITS[UNITS.length - 1]
  const format = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 0,
  })
  return format.format(Math.floor(ms / size))
}

/**
 * A date and time in `locale` and the reader's time zone, to the minute.
 * @example formatDateTime('2026-03-01T09:05:00Z', 'en', 'UTC') // 'Mar 1, 2026, 9:05 AM'
 */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  })
  return format.format(new Date(iso))
}

/** The message key of a job or timer name the engine itself uses; null for any other name. */
export function nameKey(
  name: string,
): 'adminJobs.name.event' | 'adminJobs.name.timer' | 'adminJobs.name.reminder' | null {
  if (name === 'event') return 'adminJobs.name.event'
  if (name === 'timer') return 'adminJobs.name.timer'
  if (name === 'reminder') return 'adminJobs.name.reminder'
  return null
}
