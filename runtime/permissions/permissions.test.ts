import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../clock'
import type { CurrentUser } from '../context'
import { buildMetadataSet } from '../registry'
import {
  canAttempt,
  fieldAccess,
  resolveAccess,
  ruleFieldNames,
  scopePredicate,
  sortFieldNames,
} from '.'

const label = { en: 'x' }
const customer: Entity = {
  id: 'customer',
  label,
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label },
    { name: 'owner', type: 'user', label },
    { name: 'cost', type: 'integer', label },
    { name: 'region', type: 'text', label },
  ],
}
const contact: Entity = {
  id: 'contact',
  label,
  permissionParent: 'customer',
  fields: [{ name: 'customer', type: 'reference', entity: 'customer', label }],
}
const roles: Role[] = [
  {
    id: 'rep',
    label,
    grants: [
      { entity: 'customer', scopes: { read: 'own', update: 'own' }, fields: { cost: 'none' } },
    ],
  },
  {
    id: 'finance',
    label,
    grants: [{ entity: 'customer', scopes: { read: 'department' }, fields: { cost: 'read' } }],
  },
  { id: 'boss', label, all: true, grants: [] },
]
const meta = buildMetadataSet(
  { packages: [], entities: [customer, contact], forms: [], views: [], roles },
  1,
)
const user = (roleIds: string[], isAdmin = false): CurrentUser => ({
  id: '11111111-1111-1111-1111-111111111111',
  username: 'u',
  displayName: 'U',
  locale: 'en',
  isAdmin,
  departmentId: '22222222-2222-2222-2222-222222222222',
  roles: roleIds,
})
const ctx = (u: CurrentUser) => ({ user: u, meta, clock: fixedClock('2026-01-01T00:00:00Z') })
const render = (s: ReturnType<typeof scopePredicate>) => (s ? new PgDialect().sqlToQuery(s) : null)

describe('permissions', () => {
  it('leaves administrators and all-roles unrestricted, with no predicate at all', () => {
    expect(scopePredicate(ctx(user([], true)), 'customer', 'read')).toBeNull()
    expect(scopePredicate(ctx(user(['boss'])), 'customer', 'delete')).toBeNull()
    expect(canAttempt(ctx(user(['boss'])), 'customer', 'assign')).toBe(true)
  })

  it('answers false for an action no role grants, and refuses to attempt it', () => {
    expect(render(scopePredicate(ctx(user(['rep'])), 'customer', 'delete'))?.sql).toBe('false')
    expect(canAttempt(ctx(user(['rep'])), 'customer', 'delete')).toBe(false)
    expect(canAttempt(ctx(user([])), 'customer', 'read')).toBe(false)
  })

  it('compiles own with the owner column and values as parameters, ORed with shares', () => {
    const q = render(scopePredicate(ctx(user(['rep'])), 'customer', 'read', { alias: 't' }))!
    expect(q.sql).toContain('"t"."owner" = $1')
    expect(q.sql).toContain('record_shares')
    expect(q.params).toContain('11111111-1111-1111-1111-111111111111')
    expect(q.sql).not.toContain('1111')
  })

  it('reaches a child-follows-parent record through EXISTS over the parent table', () => {
    const q = render(scopePredicate(ctx(user(['rep'])), 'contact', 'read'))!
    expect(q.sql).toMatch(
      /exists \(select 1 from "app"\."customer" "__p0" where "__p0"\.id = "app"\."contact"\."customer"/,
    )
  })

  it('unites roles: scopes are ORed and the widest field access wins', () => {
    const both = ctx(user(['rep', 'finance']))
    const refs = resolveAccess(both).grants.get('customer')!.scopes.get('read')!
    expect(refs.map((r) => r.scope)).toEqual(['own', 'department'])
    expect(fieldAccess(both, 'customer').get('cost')).toBe('read')
    expect(fieldAccess(ctx(user(['rep'])), 'customer').get('cost')).toBe('none')
    expect(fieldAccess(ctx(user(['rep'])), 'customer').get('name')).toBe('write')
    expect(fieldAccess(ctx(user(['finance'])), 'customer').get('name')).toBe('read')
  })

  it('caches the access of a set of roles whatever their order', () => {
    expect(resolveAccess(ctx(user(['finance', 'rep'])))).toBe(
      resolveAccess(ctx(user(['rep', 'finance']))),
    )
  })

  it('finds the fields a filter and a sort name', () => {
    const rule = {
      and: [{ '==': [{ var: 'cost.amount' }, 1] }, { missing: ['region'] }, { var: ['name', 0] }],
    }
    expect([...ruleFieldNames(rule)].sort()).toEqual(['cost', 'name', 'region'])
    expect(sortFieldNames('-cost, +name,')).toEqual(['cost', 'name'])
  })
})
