import { describe, expect, it } from 'vitest'
import type { Role } from '$metadata/role'
import { fieldAccessOf, scopeOf, setFieldAccess, setFilter, setScope } from './role-matrix'

const role: Role = {
  id: 'salesRep',
  label: { en: 'Sales rep' },
  grants: [{ entity: 'customer', scopes: { read: 'own', update: 'own' } }],
}

describe('the permission matrix edits', () => {
  it('reads and sets a cell without touching the original role', () => {
    const next = setScope(role, 'customer', 'read', 'ownAndSubordinates')
    expect(scopeOf(next, 'customer', 'read')).toBe('ownAndSubordinates')
    expect(scopeOf(role, 'customer', 'read')).toBe('own')
    expect(scopeOf(next, 'product', 'read')).toBe('none')
  })

  it('adds a grant for a new entity and drops one left empty', () => {
    const added = setScope(role, 'product', 'read', 'all')
    expect(added.grants.map((g) => g.entity)).toEqual(['customer', 'product'])
    const removed = setScope(setScope(added, 'product', 'read', 'none'), 'customer', 'read', 'none')
    expect(removed.grants).toEqual([{ entity: 'customer', scopes: { update: 'own' } }])
  })

  it('keeps a row filter only while the scope is filter', () => {
    const filtered = setScope(role, 'customer', 'read', 'filter')
    expect(filtered.grants[0].filters).toEqual({ read: false })
    const rule = { '==': [{ var: 'region' }, { var: '$user.region' }] }
    expect(setFilter(filtered, 'customer', 'read', rule).grants[0].filters).toEqual({ read: rule })
    expect(setScope(filtered, 'customer', 'read', 'all').grants[0].filters).toBeUndefined()
  })

  it('sets and clears field rules', () => {
    const hidden = setFieldAccess(role, 'customer', 'phone', 'none')
    expect(fieldAccessOf(hidden, 'customer', 'phone')).toBe('none')
    expect(setFieldAccess(hidden, 'customer', 'phone', '').grants[0].fields).toBeUndefined()
  })
})
