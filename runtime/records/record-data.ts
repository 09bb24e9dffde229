/** A record as the API and json-logic see it: camelCase keys, values per the value conventions. */
export type RecordData = Record<string, unknown>

/** The keys every record carries besides its fields. */
export const SYSTEM_KEYS = [
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
] as const

export type SystemKey = (typeof SYSTEM_KEYS)[number]

const systemKeySet = new Set<string>(SYSTEM_KEYS)

/** True for `id`, `version`, `createdAt`, … */
export function isSystemKey(key: string): key is SystemKey {
  return systemKeySet.has(key)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A canonical uuid string (what PostgreSQL's uuid column accepts without surprises). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** Empty for `required`: null, undefined, blank text, empty array. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  return false
}
