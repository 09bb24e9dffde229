import type { Ajv } from 'ajv'

type Check = (value: string) => boolean

/** The validator ajv-formats registered under `name` (a function or `{ validate }`). */
function registered(ajv: Ajv, name: string): Check {
  const format = ajv.formats[name] as Check | { validate?: unknown } | undefined
  const validate = typeof format === 'function' ? format : format?.validate
  if (typeof validate !== 'function') throw new Error(`ajv format '${name}' is not registered`)
  return validate as Check
}

/** A date PostgreSQL can store: RFC 3339 allows year 0000, PostgreSQL has no year 0. */
export function isStorableDate(value: string): boolean {
  return !value.startsWith('0000')
}

/**
 * A datetime the records runtime can normalize and PostgreSQL can store: JS Date has no leap
 * second (`23:59:60`), and after its offset the instant must still fall in years 0001–9999.
 */
export function isStorableDateTime(value: string): boolean {
  const time = Date.parse(value)
  if (!Number.isFinite(time)) return false
  const year = new Date(time).getUTCFullYear()
  return year >= 1 && year <= 9999
}

/** Deepest nesting of arrays / objects a json field may hold (deeper values overflow stacks). */
export const MAX_JSON_DEPTH = 100

/** A JSON value jsonb can store and the runtime can walk: no NUL in strings or keys, not too deep. */
export function isStorableJson(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !value.includes('\u0000')
  if (!value || typeof value !== 'object') return true
  if (depth >= MAX_JSON_DEPTH) return false
  if (Array.isArray(value)) return value.every((item) => isStorableJson(item, depth + 1))
  return Object.entries(value).every(
    ([k, v]) => !k.includes('\u0000') && isStorableJson(v, depth + 1),
  )
}

/** The keyword json fields use to refuse values jsonb cannot store. */
export const STORABLE_JSON = 'storableJson'

/**
 * Narrows ajv-formats' `date` and `date-time` to values that can be stored, and adds the
 * `storableJson` keyword, so such values fail validation naming their field instead of failing
 * in the database (or in `new Date(…).toISOString()`).
 */
export function addStorableFormats(ajv: Ajv): void {
  const date = registered(ajv, 'date')
  const dateTime = registered(ajv, 'date-time')
  ajv.addFormat('date', { type: 'string', validate: (v) => date(v) && isStorableDate(v) })
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (v) => dateTime(v) && isStorableDateTime(v),
  })
  ajv.addKeyword({
    keyword: STORABLE_JSON,
    validate: (_: unknown, v: unknown) => isStorableJson(v),
  })
}
