/** A parsed auto-number pattern: date tokens are rendered in JS, the counter in SQL. */
export interface AutoNumberPattern {
  /** Text before the counter, with date tokens still in it. */
  before: string
  after: string
  /** Digits of the counter (`{####}` → 4); the number is never cut when it grows past it. */
  width: number
  /** Whether the pattern holds a date token, so the counter resets each period. */
  periodic: boolean
}

/** The pattern of an auto-number field that names none. */
export const DEFAULT_AUTO_NUMBER_PATTERN = '{######}'

/** A date token: `{YYYY}`, `{MM}`, or several run together (`{YYMMDD}`). */
const DATE_TOKEN = /\{((?:YYYY|YY|MM|DD)+)\}/g
const COUNTER = /\{#+\}/

/**
 * Parses `Q-{YYYY}-{####}` style patterns. Without a counter token the counter is appended.
 * @example parseAutoNumberPattern('Q-{YYYY}-{####}') // → { before: 'Q-{YYYY}-', after: '', width: 4, periodic: true }
 */
export function parseAutoNumberPattern(pattern: string): AutoNumberPattern {
  const match = COUNTER.exec(pattern)
  const periodic = new RegExp(DATE_TOKEN.source).test(pattern)
  if (!match) return { before: pattern, after: '', width: 1, periodic }
  return {
    before: pattern.slice(0, match.index),
    after: pattern.slice(match.index + match[0].length).replace(COUNTER, ''),
    width: match[0].length - 2,
    periodic,
  }
}

/** Replaces the date tokens of a pattern piece with the UTC date `at`. */
export function renderDateTokens(text: string, at: Date): string {
  return text.replace(DATE_TOKEN, (_token, body: string) => dateToken(body, at))
}

function dateToken(body: string, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return body.replace(/YYYY|YY|MM|DD/g, (part) => {
    if (part === 'YYYY') return String(at.getUTCFullYear())
    if (part === 'YY') return String(at.getUTCFullYear()).slice(-2)
    if (part === 'MM') return pad(at.getUTCMonth() + 1)
    return pad(at.getUTCDate())
  })
}

/** The counter's period key: the rendered date tokens joined (`2026`, `261123`), '' when none. */
export function autoNumberPeriod(pattern: string, at: Date): string {
  const parts: string[] = []
  for (const m of pattern.matchAll(DATE_TOKEN)) parts.push(dateToken(m[1], at))
  return parts.join('')
}

/** Formats a number the way the SQL of a write does (used by tests and previews). */
export function formatAutoNumber(pattern: AutoNumberPattern, at: Date, value: number): string {
  const digits = String(value).padStart(pattern.width, '0')
  return renderDateTokens(pattern.before, at) + digits + renderDateTokens(pattern.after, at)
}
