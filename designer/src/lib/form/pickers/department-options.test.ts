import { describe, expect, it } from 'vitest'
import { toDepartmentOptions } from './department-options'

const DEPARTMENTS = [
  { id: 'co', name: 'Acme', parentId: null },
  { id: 'sales', name: 'Sales', parentId: 'co' },
  { id: 'east', name: 'East', parentId: 'sales' },
  { id: 'ops', name: 'Operations', parentId: 'co' },
]

describe('toDepartmentOptions', () => {
  it('labels every department by its path, sorted', () => {
    expect(toDepartmentOptions(DEPARTMENTS, '').map((o) => o.label)).toEqual([
      'Acme',
      'Acme / Operations',
      'Acme / Sales',
      'Acme / Sales / East',
    ])
  })

  it('keeps the departments whose path has every word of the query, in any case', () => {
    expect(toDepartmentOptions(DEPARTMENTS, 'SAL east')).toEqual([
      { id: 'east', label: 'Acme / Sales / East' },
    ])
    expect(toDepartmentOptions(DEPARTMENTS, 'nowhere')).toEqual([])
  })

  it('answers at most `max` options', () => {
    expect(toDepartmentOptions(DEPARTMENTS, 'acme', 2)).toHaveLength(2)
  })
})
