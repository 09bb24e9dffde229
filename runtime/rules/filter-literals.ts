import { sql, type SQL } from 'drizzle-orm'
import { parseDateOnly } from './dates'
import { rejectFilter, show } from './filter-errors'
import type { ExprNode, FilterScope } from './filter-types'

/**
 * Turning constants into typed SQL parameters. PostgreSQL drivers here bind parameters untyped,
 * so every parameter carries an explicit cast; a constant that does not fit the column's type is
 * refused (400) rather than coerced, because JavaScript's coercions (`'5' == 5`, `true == 1`)
 * have no exact SQL equivalent.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
// With the u flag a class of surrogates matches only unpaired ones.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.998Z')

/** A datetime constant: an exact instant, or a whole UTC day ('YYYY-MM-DD'). */
export type DatetimeLiteral = { kind: 'instant'; ms: number } | { kind: 'day'; ms: number }

/** Message used whenever a constant does not match the type of what it is compared with. */
export function mismatch(scope: FilterScope, target: ExprNode, value: unknown): never {
  return rejectFilter(scope, `cannot compare ${target.label} (${target.type}) with ${show(value)}`)
}

/** A constant as a parameter of the target's type, or a 400 naming the target. */
export function literalSql(scope: FilterScope, target: ExprNode, value: unknown): SQL {
  switch (target.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return mismatch(scope, target, value)
      return numberSql(value, target.integer === true)
    case 'text':
      if (typeof value !== 'string') return mismatch(scope, target, value)
      return sql`${textValue(scope, value)}::text`
    case 'bool':
      if (typeof value !== 'boolean') return mismatch(scope, target, value)
      return value ? sql`true` : sql`false`
    case 'date':
      if (!isSqlDate(value)) return mismatch(scope, target, value)
      return sql`${value}::date`
    case 'uuid':
      if (typeof value !== 'string' || !UUID.test(value)) return mismatch(scope, target, value)
      return sql`${value}::uuid`
    default:
      return rejectFilter(scope, `${target.label} cannot be compared with a constant`)
  }
}

/** A number parameter; integers within 2^53 as bigint so an index on an integer column applies. */
export function numberSql(value: number, integerTarget: boolean): SQL {
  if (integerTarget && Number.isSafeInteger(value)) return sql`${String(value)}::bigint`
  return sql`${String(value)}::numeric`
}

/** A string PostgreSQL can store unchanged (no NUL, no unpaired surrogate), else 400. */
export function textValue(scope: FilterScope, value: string): string {
  if (value.includes('\u0000') || LONE_SURROGATE.test(value)) {
    rejectFilter(scope, `the text ${show(value)} contains characters that cannot be stored`)
  }
  return value
}

/** A canonical 'YYYY-MM-DD' naming a real day in years 1–9999 (what a date column can hold). */
export function isSqlDate(value: unknown): value is string {
  const date = parseDateOnly(value)
  return date !== null && date.year >= 1
}

/** Reads a datetime constant: canonical `toISOString()` text or a plain date; else null. */
export function parseDatetimeLiteral(value: unknown): DatetimeLiteral | null {
  if (isSqlDate(value)) return { kind: 'day', ms: Date.parse(`${value}T00:00:00.000Z`) }
  if (typeof value !== 'string' || !CANONICAL_INSTANT.test(value)) return null
  const ms = Date.parse(value)
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== value) return null
  // Year 0 is not a PostgreSQL year; the last millisecond has no successor we could bind.
  if (value.startsWith('0000') || ms > LAST_INSTANT) return null
  return { kind: 'instant', ms }
}

/** An instant as a timestamptz parameter (UTC text, independent of the session time zone). */
export function instantSql(ms: number): SQL {
  return sql`${new Date(ms).toISOString()}::timestamptz`
}
