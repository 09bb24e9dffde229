import { describe, expect, it } from 'vitest'
import type { Entity } from './entity'
import { validateReferences } from './references'
import type { Role } from './role'
import { validateDefinition } from './validate'

const label = { en: 'x' }
const customer: Entity = {
  id: 'customer',
  label,
  fields: [
    { name: 'name', type: 'text', label },
    { name: 'parent', type: 'reference', entity: 'customer', label },
  ],
}

describe('role checks', () => {
  it('refuses a filter scope without its filter, and a filter without a filter scope', () => {
    const role: Role = {
      id: 'rep',
      label,
      grants: [
        {
          entity: 'customer',
          scopes: { read: 'filter', update: 'own' },
          filters: { update: { '==': [1, 1] } },
        },
      ],
    }
    expect(validateDefinition('role', role)).toEqual([
      { path: 'grants[0].scopes.read', message: "scope 'filter' needs filters.read" },
      { path: 'grants[0].filters.update', message: "is used only when scopes.update is 'filter'" },
    ])
  })

  it('refuses two grants for one entity', () => {
    const grant = { entity: 'customer', scopes: { read: 'all' as const } }
    const issues = validateDefinition('role', { id: 'r', label, grants: [grant, grant] })
    expect(issues).toEqual([
      { path: 'grants[1].entity', message: "duplicate grant for entity 'customer'" },
    ])
  })

  it('names unknown entities and fields of grants across the bundle', () => {
    const role: Role = {
      id: 'rep',
      label,
      grants: [
        { entity: 'nothing', scopes: { read: 'all' } },
        {
          entity: 'customer',
          scopes: { read: 'filter' },
          fields: { cost: 'none' },
          filters: { read: { '==': [{ var: 'region' }, { var: '$user.region' }] } },
        },
      ],
    }
    const issues = validateReferences({
      packages: [],
      entities: [customer],
      forms: [],
      views: [],
      roles: [role],
    })
    expect(issues).toEqual([
      { path: 'roles[rep].grants[0].entity', message: "no entity 'nothing'" },
      { path: 'roles[rep].grants[1].fields.cost', message: "no field 'cost' in entity 'customer'" },
      {
        path: 'roles[rep].grants[1].filters.read',
        message: "no field 'region' in entity 'customer'",
      },
    ])
  })

  it('accepts a permissionParent that names a reference field and refuses any other', () => {
    expect(validateDefinition('entity', { ...customer, permissionParent: 'parent' })).toEqual([])
    expect(validateDefinition('entity', { ...customer, permissionParent: 'name' })).toEqual([
      { path: 'permissionParent', message: "'name' must be a reference field" },
    ])
    expect(validateDefinition('entity', { ...customer, permissionParent: 'none' })).toEqual([
      { path: 'permissionParent', message: "no field 'none' in entity 'customer'" },
    ])
  })
})
