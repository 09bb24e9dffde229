import { describe, expect, it } from 'vitest'
import { SALES_OWNERS, weightedOwners } from './demo-org'

describe('bench customer owners', () => {
  const ids = new Map(SALES_OWNERS.map((name) => [name, `id-${name}`]))

  it('gives each rep three shares and each manager one, interleaved', () => {
    const owners = weightedOwners(ids)
    const count = (name: string) => owners.filter((id) => id === `id-${name}`).length
    expect(owners).toHaveLength(11)
    expect(['rep_east1', 'rep_east2', 'rep_west1'].map(count)).toEqual([3, 3, 3])
    expect(['mgr_east', 'mgr_west'].map(count)).toEqual([1, 1])
    expect(owners.slice(0, 5)).toEqual(SALES_OWNERS.map((name) => `id-${name}`))
  })

  it('names the people the organisation lacks', () => {
    const partial = new Map([...ids].filter(([name]) => name !== 'mgr_west'))
    expect(() => weightedOwners(partial)).toThrow(/missing mgr_west/)
  })
})
