/*
 * Wall-clock time in an IANA time zone, with Intl only (no time-zone library): a reminder "at
 * 09:00 on the due date" means 09:00 where the instance is, whatever the server's own zone.
 */

/** A local date and time of day. `month` is 1–12. */
export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall time (and seconds) an instant shows in `timeZone`. */
export function toWallTime(instant: Date, timeZone: string): WallTime & { second: number } {
  const parts: Record<string, number> = {}
  for (const p of formatterFor(timeZone).formatToParts(instant))
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  }
}

/** Milliseconds `timeZone` is ahead of UTC at `instant`. */
function offsetAt(instantMs: number, timeZone: string): number {
  const w = toWallTime(new Date(instantMs), timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - Math.floor(instantMs / 1000) * 1000
}

/**
 * The instant a wall time names in `timeZone`. A time skipped by a daylight-saving jump falls
 * after the jump; a time that occurs twice takes the earlier one.
 * @example toInstant({ year: 2026, month: 3, day: 2, hour: 9, minute: 0 }, 'Asia/Seoul')
 * // 2026-03-02T00:00:00.000Z
 */
export function toInstant(wall: WallTime, timeZone: string): Date {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute)
  const first = guess - offsetAt(guess, timeZone)
  const second = guess - offsetAt(first, timeZone)
  if (first === second) return new Date(first)
  // Around a transition the two offsets disagree: prefer the earlier reading that maps back.
  const candidates = [first, second].sort((a, b) => a - b)
  const exact = candidates.find((c) => c + offsetAt(c, timeZone) === guess)
  return new Date(exact ?? Math.max(first, second))
}

/** Adds whole days to a calendar date (month and year roll over). */
export function addDays(wall: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days))
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}
