import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../clock'
import type { CurrentUser } from '../context'
import { buildMetadataSet } from '../registry'
import { scopePredicate } from './scope-predicate'
import { FALSE } from './scope-sql'
import { compileScope } from './scope-template'

const label = { en: 'x' }
const customer: Entity = {
  id: 'customer',
  label,
  ownerField: 'owner',
  fields: [
    { name: 'owner', type: 'user', label },
    { name: 'region', type: 'text', label },
  ],
}
const contact: Entity = {
  id: 'contact',
  label,
  permissionParent: 'customer',
  fields: [{ name: 'customer', type: 'reference', entity: 'customer', label }],
}
const regional = { '==': [{ var: 'region' }, { var: '$user.region' }] }
const roles: Role[] = [
  {
    id: 'director',
    label,
    grants: [{ entity: 'customer', scopes: { read: 'ownAndSubordinates' } }],
  },
  { id: 'finance', label, grants: [{ entity: 'customer', scopes: { read: 'department' } }] },
  {
    id: 'regional',
    label,
    grants: [{ entity: 'customer', scopes: { read: 'filter' }, filters: { read: regional } }],
  },
]
const meta = buildMetadataSet(
  { packages: [], entities: [customer, contact], forms: [], views: [], roles },
  1,
)
const user = (id: string, roleIds: string[], more: Partial<CurrentUser> = {}): CurrentUser => ({
  id,
  username: id,
  displayName: id,
  locale: 'en',
  isAdmin: false,
  departmentId: 'dept-1',
  roles: roleIds,
  ...more,
})
const at = (u: CurrentUser, when = '2026-01-01T00:00:00.000Z') => ({
  user: u,
  meta,
  clock: fixedClock(when),
})
const render = (s: ReturnType<typeof scopePredicate>) => new PgDialect().sqlToQuery(s!)

describe('compiled scopes', () => {
  it('give every caller of the same roles the same SQL text with their own values', () => {
    const ana = render(scopePredicate(at(user('ana', ['director'])), 'customer', 'read'))
    const bob = render(scopePredicate(at(user('bob', ['director'])), 'customer', 'read'))
    expect(ana.sql).toBe(bob.sql)
    expect(ana.sql).toContain('manager_closure where manager_id = $2')
    expect(ana.params).toEqual([
      'ana',
      'ana',
      'customer',
      'ana',
      'dept-1',
      '2026-01-01T00:00:00.000Z',
    ])
    expect(bob.params).toEqual([
      'bob',
      'bob',
      'customer',
      'bob',
      'dept-1',
      '2026-01-01T00:00:00.000Z',
    ])
  })

  it('bind the clock per request', () => {
    const later = render(
      scopePredicate(at(user('ana', ['director']), '2026-02-01T10:00:00.000Z'), 'customer', 'read'),
    )
    expect(later.params.at(-1)).toBe('2026-02-01T10:00:00.000Z')
  })

  it('take the shape without a department for a caller who has none', () => {
    const none = render(
      scopePredicate(at(user('ana', ['finance'], { departmentId: null })), 'customer', 'read'),
    )
    expect(none.sql).toMatch(/^\(false or /)
    expect(none.sql).not.toContain('department_id')
    const withDept = render(scopePredicate(at(user('bob', ['finance'])), 'customer', 'read'))
    expect(withDept.sql).toContain('department_id = $1')
    expect(withDept.params[0]).toBe('dept-1')
  })

  it("put each caller's row filter in whole, compiled with their $user values", () => {
    const east = user('ana', ['regional'], { attributes: { region: 'east' } })
    const west = user('bob', ['regional'], { attributes: { region: 'west' } })
    const a = render(scopePredicate(at(east), 'customer', 'read', { alias: 't' }))
    const b = render(scopePredicate(at(west), 'customer', 'read', { alias: 't' }))
    expect(a.sql).toContain('"t"."region"')
    expect(a.params).toContain('east')
    expect(b.params).toContain('west')
    expect(b.params).not.toContain('east')
  })

  it('reach a record through its permission parent with the parent alias kept', () => {
    const q = render(
      scopePredicate(at(user('ana', ['director'])), 'contact', 'read', { alias: 'r' }),
    )
    expect(q.sql).toContain(
      'exists (select 1 from "app"."customer" "__p0" where "__p0".id = "r"."customer"',
    )
    expect(q.params).toContain('ana')
  })

  it('answer null for every row and the false constant for none, without a template', () => {
    const ana = user('ana', [])
    const now = new Date()
    expect(compileScope(true, () => null).bind(ana, now)).toBeNull()
    expect(compileScope(true, () => FALSE).bind(ana, now)).toBe(FALSE)
    const own = compileScope(false, (v) => sql`owner = ${v.userId}`).bind(ana, now)
    expect(render(own)).toMatchObject({ sql: 'owner = $1', params: ['ana'] })
  })
})
