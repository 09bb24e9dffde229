import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import type { ListView } from '$metadata/view'
import { poolListColumns } from './pool-columns'

const customer = {
  id: 'customer',
  label: { en: 'Customer' },
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: { en: 'Name' } },
    { name: 'notes', type: 'longText', label: { en: 'Notes' } },
    { name: 'level', type: 'select', label: { en: 'Level' }, options: [] },
    { name: 'owner', type: 'user', label: { en: 'Owner' } },
    { name: 'pool', type: 'text', label: { en: 'Pool' } },
  ],
} as unknown as Entity

describe('poolListColumns', () => {
  it("keeps the list view's columns but the owner and the pool field", () => {
    const view = {
      id: 'customerList',
      type: 'list',
      entity: 'customer',
      label: { en: 'Customers' },
      columns: [{ field: 'level' }, { field: 'owner' }, { field: 'name' }, { field: 'pool' }],
    } as ListView
    expect(poolListColumns(customer, view, 'pool').map((f) => f.name)).toEqual(['level', 'name'])
  })

  it('falls back to the plain fields without a list view', () => {
    expect(poolListColumns(customer, undefined, 'pool').map((f) => f.name)).toEqual([
      'name',
      'level',
    ])
  })
})
