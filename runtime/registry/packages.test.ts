import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { MetadataBundle } from './metadata-set'
import { mergePackages, splitPackages, type PackageContents } from './packages'

const label = { en: 'x' }
const entity = (id: string, module?: string): Entity => ({
  id,
  label,
  fields: [{ name: 'name', type: 'text', label }],
  ...(module ? { module } : {}),
})
const manifest = (id: string, version = '1.0.0') => ({ id, version, label })
const pkg = (id: string, entities: Entity[], version?: string): PackageContents => ({
  manifest: manifest(id, version),
  entities,
  forms: [],
  views: [],
  roles: [],
})

const installed: MetadataBundle = {
  packages: [manifest('crm'), manifest('hr')],
  entities: [
    entity('customer', 'crm'),
    entity('lead', 'crm'),
    entity('staff', 'hr'),
    entity('memo'),
  ],
  forms: [{ id: 'lead', entity: 'lead', label, tabs: [] }],
  views: [],
  roles: [{ id: 'rep', label, grants: [], module: 'crm' }],
}

describe('installing packages over an instance', () => {
  it('replaces what a package brought and keeps every other package and unpackaged definition', () => {
    const next = mergePackages(installed, [pkg('crm', [entity('customer', 'crm')], '2.0.0')])
    expect(next.entities.map((e) => e.id).sort()).toEqual(['customer', 'memo', 'staff'])
    expect(next.forms).toEqual([])
    expect(next.roles).toEqual([])
    expect(next.packages.find((p) => p.id === 'crm')?.version).toBe('2.0.0')
    expect(next.packages.map((p) => p.id)).toContain('hr')
  })

  it('refuses a package that ships what another package owns, and takes over unpackaged ones', () => {
    expect(() => mergePackages(installed, [pkg('extra', [entity('staff', 'extra')])])).toThrow(
      /cannot be installed/,
    )
    const next = mergePackages(installed, [pkg('extra', [entity('memo', 'extra')])])
    expect(next.entities.filter((e) => e.id === 'memo')).toEqual([entity('memo', 'extra')])
  })

  it('splits a bundle back into its packages, unpackaged definitions apart', () => {
    const { packages, unpackaged } = splitPackages(installed)
    const crm = packages.find((p) => p.manifest.id === 'crm')!
    expect(crm.entities.map((e) => e.id)).toEqual(['customer', 'lead'])
    expect(crm.forms.map((f) => f.id)).toEqual(['lead'])
    expect(crm.roles.map((r) => r.id)).toEqual(['rep'])
    expect(unpackaged.entities.map((e) => e.id)).toEqual(['memo'])
  })
})
