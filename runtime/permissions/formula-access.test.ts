import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import type { CurrentUser } from '../context'
import { buildMetadataSet } from '../registry'
import { fieldAccess, hiddenFields } from '.'
import { ruleVarPaths } from './rule-field-names'

const label = { en: 'x' }
const deal: Entity = {
  id: 'deal',
  label,
  fields: [
    { name: 'cost', type: 'integer', label },
    { name: 'price', type: 'integer', label },
    {
      name: 'margin',
      type: 'formula',
      label,
      resultType: 'number',
      formula: { '-': [{ var: 'price' }, { var: 'cost' }] },
    },
    {
      name: 'marginTwice',
      type: 'formula',
      label,
      resultType: 'number',
      formula: { '*': [{ var: 'margin' }, 2] },
    },
    {
      name: 'priceTwice',
      type: 'formula',
      label,
      resultType: 'number',
      formula: { '*': [{ var: 'price' }, 2] },
    },
    { name: 'lines', type: 'childTable', entity: 'dealLine', label },
    {
      name: 'lineCost',
      type: 'formula',
      label,
      resultType: 'number',
      formula: {
        reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, { var: 'current.cost' }] }, 0],
      },
    },
    {
      name: 'lineCount',
      type: 'formula',
      label,
      resultType: 'number',
      formula: { reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, 1] }, 0] },
    },
  ],
}
const dealLine: Entity = {
  id: 'dealLine',
  label,
  childOf: 'deal',
  fields: [
    { name: 'cost', type: 'integer', label },
    { name: 'qty', type: 'integer', label },
  ],
}
const roles: Role[] = [
  {
    id: 'rep',
    label,
    grants: [
      { entity: 'deal', scopes: { read: 'own', update: 'own' }, fields: { cost: 'none' } },
      { entity: 'dealLine', scopes: { read: 'own' }, fields: { cost: 'none' } },
    ],
  },
  { id: 'finance', label, grants: [{ entity: 'deal', scopes: { read: 'all' } }] },
]
const meta = buildMetadataSet(
  { packages: [], entities: [deal, dealLine], forms: [], views: [], roles },
  1,
)
const ctx = (roleIds: string[]) => {
  const user: CurrentUser = {
    id: '11111111-1111-1111-1111-111111111111',
    username: 'u',
    displayName: 'U',
    locale: 'en',
    isAdmin: false,
    roles: roleIds,
  }
  return { user, meta }
}

describe('formula field access', () => {
  it('hides a formula that reads a hidden field, and formulas over it in turn', () => {
    const hidden = hiddenFields(ctx(['rep']), 'deal')
    expect([...(hidden ?? [])].sort()).toEqual(['cost', 'lineCost', 'margin', 'marginTwice'])
    expect(fieldAccess(ctx(['rep']), 'deal').get('priceTwice')).toBe('write')
  })

  it('keeps formulas readable for a role that may read their sources', () => {
    expect(hiddenFields(ctx(['rep', 'finance']), 'deal')).toBeNull()
    expect(hiddenFields(ctx(['finance']), 'deal')).toBeNull()
  })

  it('reads every path of a rule whole, inside reduce and missing too', () => {
    const rule = {
      and: [{ reduce: [{ var: 'lines' }, { var: 'current.cost' }, 0] }, { missing: ['a.b'] }],
    }
    expect([...ruleVarPaths(rule)].sort()).toEqual(['a.b', 'current.cost', 'lines'])
  })
})
