import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import type { PoolOverview } from '../api/pools'
import { claimRefusalText, hasLeftPool, toClaimRefusal } from './claim-refusal'

const refused = (status: number, reason?: string) =>
  new ApiError(status, status === 409 ? 'conflict' : 'not_found', 'refused', [], { reason })

const pool: PoolOverview = {
  id: 'east',
  label: { en: 'East pool' },
  entity: 'customer',
  waiting: 3,
  held: 50,
  heldLimit: 50,
  claimedToday: 10,
  claimsPerDay: 10,
  returnReasons: [],
  admin: false,
  poolField: 'pool',
  cooldownDays: 30,
  filter: null,
}

describe('toClaimRefusal', () => {
  it('names each reason the API gives for a 409', () => {
    for (const reason of ['taken', 'dailyLimit', 'heldLimit', 'cooldown'])
      expect(toClaimRefusal(refused(409, reason))).toBe(reason)
  })

  it('reads a 404 as a record gone from the pool and anything else as other', () => {
    expect(toClaimRefusal(refused(404))).toBe('gone')
    expect(toClaimRefusal(refused(409, 'somethingNew'))).toBe('other')
    expect(toClaimRefusal(new ApiError(0, 'network', 'offline'))).toBe('other')
    expect(toClaimRefusal(new Error('boom'))).toBe('other')
  })

  it('drops the row only when the record left the pool', () => {
    expect(hasLeftPool('taken')).toBe(true)
    expect(hasLeftPool('gone')).toBe(true)
    expect(hasLeftPool('dailyLimit')).toBe(false)
    expect(hasLeftPool('cooldown')).toBe(false)
  })
})

describe('claimRefusalText', () => {
  it('fills the limit that was reached and the cool-down days', () => {
    expect(claimRefusalText('dailyLimit', pool, 'Acme')).toEqual({
      key: 'pools.refused.dailyLimit',
      params: { title: 'Acme', limit: 10, held: 50, days: 30 },
    })
    expect(claimRefusalText('heldLimit', { ...pool, heldLimit: 80 }, 'Acme').params.limit).toBe(80)
    expect(claimRefusalText('taken', pool, 'Acme').key).toBe('pools.refused.taken')
  })
})
