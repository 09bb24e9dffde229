import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors'
import { MAX_BULK_IDS, validateIds } from './record-ids'

const A = '00000000-0000-4000-8000-00000000000A'
const B = '00000000-0000-4000-8000-00000000000b'

const pathOf = (ids: unknown): string | undefined => {
  try {
    validateIds(ids)
  } catch (err) {
    if (err instanceof ValidationError) return err.details[0].path
    throw err
  }
}

describe('validateIds', () => {
  it('lower-cases the ids it accepts', () => {
    expect(validateIds([A, B])).toEqual([A.toLowerCase(), B])
  })

  it('names the list when it is missing, empty or too long', () => {
    expect(pathOf(undefined)).toBe('ids')
    expect(pathOf([])).toBe('ids')
    expect(pathOf(Array.from({ length: MAX_BULK_IDS + 1 }, () => A))).toBe('ids')
  })

  it('names a malformed or repeated id by its index', () => {
    expect(pathOf([A, 'x'])).toBe('ids[1]')
    expect(pathOf([A, B, A.toLowerCase()])).toBe('ids[2]')
  })
})
