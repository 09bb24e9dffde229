import { describe, expect, it } from 'vitest'
import { ACTIONS, type Role } from '../metadata/role'
import { validateDefinition } from '../metadata/validate'
import { compileFilter } from '../runtime/rules'
import { loadSeedBundle, loadSeedPackages } from './load-seed-packages'

const packages = loadSeedPackages()
const bundle = loadSeedBundle()
const roles = bundle.roles ?? []
const entities = new Map(bundle.entities.map((e) => [e.id, e]))
const roleById = new Map(roles.map((r) => [r.id, r]))

const ROLE_IDS = [
  'admin',
  'salesDirector',
  'salesManager',
  'salesRep',
  'serviceManager',
  'serviceAgent',
  'hrClerk',
  'finance',
  'employee',
]

/** A package's own entities plus those of every package it depends on, transitively. */
function reachableEntities(packageId: string): Set<string> {
  const byId = new Map(packages.map((p) => [p.manifest.id, p]))
  const seen = new Set<string>()
  const visit = (id: string) => {
    if (seen.has(id)) return
    seen.add(id)
    for (const dep of Object.keys(byId.get(id)!.manifest.dependencies ?? {})) visit(dep)
  }
  visit(packageId)
  return new Set([...seen].flatMap((id) => byId.get(id)!.entities.map((e) => e.id)))
}

function grantOf(role: Role, entity: string) {
  return role.grants.find((g) => g.entity === entity)
}

describe('the shipped roles', () => {
  it('are the nine roles of the four modules, each id once', () => {
    expect([...roles.map((r) => r.id)].sort()).toEqual([...ROLE_IDS].sort())
  })

  it('each validate against the role schema and checks with no issues', () => {
    for (const role of roles) expect(validateDefinition('role', role), role.id).toEqual([])
  })

  it('make only the administrator unrestricted', () => {
    expect(roles.filter((r) => r.all).map((r) => r.id)).toEqual(['admin'])
  })

  it('grant only entities and fields that exist, each entity once, top-level entities only', () => {
    for (const role of roles) {
      const granted = role.grants.map((g) => g.entity)
      expect(new Set(granted).size, role.id).toBe(granted.length)
      for (const grant of role.grants) {
        const entity = entities.get(grant.entity)
        expect(entity, `${role.id} → ${grant.entity}`).toBeDefined()
        expect(entity!.childOf, `${role.id} → ${grant.entity} is a child`).toBeUndefined()
        const names = new Set(entity!.fields.map((f) => f.name))
        for (const field of Object.keys(grant.fields ?? {}))
          expect(names.has(field), `${role.id} → ${grant.entity}.${field}`).toBe(true)
      }
    }
  })

  it('reference only entities of their own module or of the modules it depends on', () => {
    for (const { manifest, roles: own } of packages) {
      const reachable = reachableEntities(manifest.id)
      for (const role of own)
        for (const grant of role.grants)
          expect(reachable.has(grant.entity), `${manifest.id}: ${role.id} → ${grant.entity}`).toBe(
            true,
          )
    }
  })

  it('give a row filter exactly to the actions whose scope is filter, and compile it to SQL', () => {
    const vars = {
      $user: { id: '00000000-0000-4000-8000-000000000001', departmentId: null, roles: [] },
    }
    let filters = 0
    for (const role of roles) {
      for (const grant of role.grants) {
        for (const action of ACTIONS) {
          const where = `${role.id} → ${grant.entity}.${action}`
          const filter = grant.filters?.[action]
          expect(filter !== undefined, where).toBe(grant.scopes[action] === 'filter')
          if (filter === undefined) continue
          filters++
          expect(
            () => compileFilter(entities.get(grant.entity)!, filter, { vars }),
            where,
          ).not.toThrow()
        }
      }
    }
    expect(filters).toBeGreaterThan(0)
  })

  it('hide the product cost price from sales reps and let finance read it', () => {
    expect(grantOf(roleById.get('salesRep')!, 'product')?.fields?.costPrice).toBe('none')
    const finance = grantOf(roleById.get('finance')!, 'product')!
    expect(finance.scopes.read).toBe('all')
    expect(finance.fields?.costPrice).toBe('read')
  })

  it('let managers and directors reach their subordinates and reassign their records', () => {
    for (const id of ['salesManager', 'salesDirector']) {
      const customer = grantOf(roleById.get(id)!, 'customer')!
      expect(customer.scopes.read, id).toBe('ownAndSubordinates')
      expect(customer.scopes.assign, id).toBe('ownAndSubordinates')
    }
    expect(grantOf(roleById.get('salesRep')!, 'customer')!.scopes).toMatchObject({
      read: 'own',
    })
    expect(grantOf(roleById.get('salesRep')!, 'customer')!.scopes.assign).toBeUndefined()
    expect(grantOf(roleById.get('salesDirector')!, 'customer')!.scopes.export).toBe(
      'departmentTree',
    )
  })

  it('let sales people import their own leads, customers and contacts, and no one else’s', () => {
    for (const id of ['salesRep', 'salesManager', 'salesDirector'])
      for (const entity of ['lead', 'customer', 'contact']) {
        const scopes = grantOf(roleById.get(id)!, entity)!.scopes
        expect(scopes.import, `${id} ${entity}`).toBe('own')
        expect(scopes.create, `${id} ${entity}`).toBe('own')
      }
    for (const entity of ['opportunity', 'quote', 'salesOrder'])
      expect(grantOf(roleById.get('salesRep')!, entity)!.scopes.import, entity).toBeUndefined()
  })

  it('let service roles read every customer, and finance every order', () => {
    for (const id of ['serviceAgent', 'serviceManager'])
      expect(grantOf(roleById.get(id)!, 'customer')?.scopes.read, id).toBe('all')
    expect(grantOf(roleById.get('finance')!, 'salesOrder')?.scopes.read).toBe('all')
    for (const entity of ['payment', 'invoice', 'expense'])
      expect(grantOf(roleById.get('finance')!, entity)?.scopes.create, entity).toBe('all')
  })
})
