/** The start of the calendar day holding `at` in `timeZone` (default UTC), as an instant. */
export function startOfDay(at: Date, timeZone = 'UTC'): Date {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  // The zone's offset at `at`: its wall clock read as UTC, minus the instant.
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  const offset = wall - Math.floor(+at / 60000) * 60000
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day')) - offset)
}
