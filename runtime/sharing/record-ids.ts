import { ValidationError } from '../errors'
import { isUuid } from './share-input'
import { sharingWords } from './sharing-refusal-texts'

/** At most this many records per bulk call. */
export const MAX_BULK_IDS = 1000

/**
 * A non-empty list of distinct record ids (lower case), or 422 naming `ids` or `ids[i]` in
 * `locale` (the caller's).
 */
export function validateIds(ids: unknown, locale?: string): string[] {
  const w = sharingWords(locale)
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BULK_IDS) {
    throw new ValidationError(w('idsRequired'), [
      { path: 'ids', message: w('idsRequiredField', { max: String(MAX_BULK_IDS) }) },
    ])
  }
  const seen = new Set<string>()
  ids.forEach((id, i) => {
    const path = `ids[${i}]`
    if (!isUuid(id)) {
      throw new ValidationError(w('notRecordId', { path }), [
        { path, message: w('notRecordIdField') },
      ])
    }
    if (seen.has(id.toLowerCase())) {
      throw new ValidationError(w('idRepeated', { path }), [
        { path, message: w('idRepeatedField') },
      ])
    }
    seen.add(id.toLowerCase())
  })
  return [...seen]
}
