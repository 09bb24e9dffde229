import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import { filteredListHref, fromListQuery, toListQuery, type ListState } from './list-state'

const contact: Entity = {
  id: 'contact',
  label: { en: 'Contact' },
  titleField: 'name',
  fields: [
    { name: 'name', label: { en: 'name' }, type: 'text' },
    { name: 'customer', label: { en: 'customer' }, type: 'reference', entity: 'customer' },
    { name: 'level', label: { en: 'level' }, type: 'select', options: [] },
    { name: 'notes', label: { en: 'notes' }, type: 'json' },
  ],
}
const ID = '0190a1b2-0000-7000-8000-000000000001'

describe('list state in the address', () => {
  it('round-trips conditions, join and sort through the query string', () => {
    const state: ListState = {
      conditions: [
        { field: 'name', op: 'contains', value: 'a:b & c' },
        { field: 'level', op: 'eq', value: 'A' },
      ],
      join: 'or',
      sort: '-name',
    }
    expect(fromListQuery(contact, toListQuery(state))).toEqual(state)
  })

  it('drops conditions and sorts the entity does not allow', () => {
    const query = 'where=nope:eq:1&where=notes:eq:x&where=customer:contains:x&sort=level'
    expect(fromListQuery(contact, query)).toEqual({ conditions: [], join: 'and', sort: '' })
  })

  it('links a related list to the list filtered by its parent', () => {
    const href = filteredListHref('contact', 'customer', ID)
    const [path, query] = href.split('?')
    expect(path).toBe('/e/contact')
    expect(fromListQuery(contact, query).conditions).toEqual([
      { field: 'customer', op: 'eq', value: ID },
    ])
  })
})
