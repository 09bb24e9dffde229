import { describe, expect, it } from 'vitest'
import type { PackageManifest } from './package'
import { validateReferences } from './references'
import { validateDefinition } from './validate'

const manifest = (id: string, version: string, dependencies?: Record<string, string>) =>
  ({ id, version, label: { en: id }, ...(dependencies && { dependencies }) }) as PackageManifest

describe('a package manifest', () => {
  it('names a dependency on itself and a range that is not one', () => {
    const issues = validateDefinition(
      'package',
      manifest('hr-admin', '2.0.0', { 'hr-admin': '^2.0.0', order: 'latest', service: '^1.0.0' }),
    )
    expect(issues).toEqual([
      { path: 'dependencies["hr-admin"]', message: 'a package cannot depend on itself' },
      {
        path: 'dependencies.order',
        message: "'latest' is not a version range: 1.2.3, ^1.2.3, ~1.2.3, >=1.2.3 <2.0.0 or *",
      },
    ])
  })

  it('refuses a bundle whose dependency is there in a version outside the range', () => {
    const bundle = (orderVersion: string) => ({
      packages: [
        manifest('order', orderVersion),
        manifest('hr-admin', '2.0.0', { order: '^1.0.0' }),
      ],
      entities: [],
      forms: [],
      views: [],
    })
    expect(validateReferences(bundle('1.4.2'))).toEqual([])
    expect(validateReferences(bundle('2.0.0'))).toEqual([
      {
        path: 'packages[hr-admin].dependencies.order',
        message: "package 'order' is 2.0.0, outside '^1.0.0'",
      },
    ])
  })
})
