import { ValidationError } from '../errors'
import { isUuid } from './share-input'

/** At most this many records per bulk call. */
export const MAX_BULK_IDS = 1000

/** A non-empty list of distinct record ids (lower case), or 422 naming `ids` or `ids[i]`. */
export function validateIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BULK_IDS) {
    throw new ValidationError('ids must list the records', [
      { path: 'ids', message: `an array of 1 to ${MAX_BULK_IDS} record ids` },
    ])
  }
  const seen = new Set<string>()
  ids.forEach((id, i) => {
    if (!isUuid(id)) {
      throw new ValidationError(`ids[${i}] is not a record id`, [
        { path: `ids[${i}]`, message: 'not a record id' },
      ])
    }
    if (seen.has(id.toLowerCase())) {
      throw new ValidationError(`ids[${i}] is repeated`, [
        { path: `ids[${i}]`, message: 'given more than once' },
      ])
    }
    seen.add(id.toLowerCase())
  })
  return [...seen]
}
