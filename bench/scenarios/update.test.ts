import { describe, expect, it } from 'vitest'
import { checkLedger, lockHeld, type Ledger } from './update'

const ledger = (accepted: number[], before = 1): Ledger => ({
  before: new Map([['a', before]]),
  acceptedVersions: new Map([['a', accepted]]),
  conflicts: 4,
  other: {},
})

describe('optimistic lock check', () => {
  it('holds when every accepted write returned its own version and the record advanced by them', () => {
    const check = checkLedger(ledger([2, 3, 4]), new Map([['a', 4]]))
    expect(check).toMatchObject({
      accepted: 3,
      conflicts: 4,
      lostUpdates: [],
      missing: [],
      unobserved: 0,
    })
    expect(lockHeld(check, 32)).toBe(true)
  })

  it('reports two accepted writes that returned the same version as a lost update', () => {
    const check = checkLedger(ledger([2, 2]), new Map([['a', 3]]))
    expect(check.lostUpdates).toEqual([{ id: 'a', version: 2 }])
    expect(lockHeld(check, 32)).toBe(false)
  })

  it('reports a record that advanced less than its accepted writes as missing', () => {
    const check = checkLedger(ledger([2, 3]), new Map([['a', 2]]))
    expect(check.missing).toEqual([{ id: 'a', expected: 3, actual: 2 }])
  })

  it('tolerates writes cut off at the end of a run up to the number of connections', () => {
    const check = checkLedger(ledger([2]), new Map([['a', 5]]))
    expect(check.unobserved).toBe(3)
    expect(lockHeld(check, 2)).toBe(false)
    expect(lockHeld(check, 32)).toBe(true)
  })

  it('fails when an answer was neither 200 nor 409', () => {
    expect(
      lockHeld({ ...checkLedger(ledger([]), new Map([['a', 1]])), other: { 500: 1 } }, 32),
    ).toBe(false)
  })
})
