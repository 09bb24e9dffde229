import { describe, expect, it } from 'vitest'
import { timeOrderedId } from './time-ordered-id'

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the milliseconds', () => {
    const at = Date.UTC(2026, 11, 6, 23, 30)
    const id = timeOrderedId(at)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at)
  })

  it('sorts ids made later after earlier ones, and never repeats', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => timeOrderedId(1_700_000_000_000 + i))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedId(5))).size).toBe(1000)
  })
})
