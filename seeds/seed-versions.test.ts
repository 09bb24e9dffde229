import { describe, expect, it } from 'vitest'
import { loadSeedPackages, type SeedPackage } from './load-seed-packages'
import {
  buildVersionsLock,
  readVersionsLock,
  seedContentHash,
  staleSeedVersions,
  type VersionsLock,
} from './seed-versions'

const packages = loadSeedPackages()
const order = packages.find((p) => p.manifest.id === 'order') as SeedPackage

/** `order` with one label changed, at `version`. */
function editedOrder(version = order.manifest.version): SeedPackage {
  const [first, ...rest] = order.entities
  const entity = { ...first, label: { ...first.label, en: `${first.label.en} (edited)` } }
  return { ...order, manifest: { ...order.manifest, version }, entities: [entity, ...rest] }
}

describe('shipped module versions', () => {
  it('match seeds/versions.lock: no module changed under the version it shipped as', () => {
    const problems = staleSeedVersions(readVersionsLock(), buildVersionsLock(packages))
    expect(problems, problems.join('\n')).toEqual([])
  })

  it('refuse a content change under the same version, naming the module and what to do', () => {
    const lock = buildVersionsLock(packages)
    const now = buildVersionsLock(packages.map((p) => (p === order ? editedOrder() : p)))
    expect(staleSeedVersions(lock, now)).toEqual([
      `seeds/order changed since ${order.manifest.version}: bump its manifest version and run \`npx tsx seeds/lock-versions.ts\``,
    ])
  })

  it('take a bumped version once the lock records it, and refuse a version that went back', () => {
    const lock = buildVersionsLock(packages)
    const bumped = buildVersionsLock(packages.map((p) => (p === order ? editedOrder('9.0.0') : p)))
    expect(staleSeedVersions(lock, bumped)).toEqual([
      `seeds/order is 9.0.0 but seeds/versions.lock records ${order.manifest.version}: run \`npx tsx seeds/lock-versions.ts\``,
    ])
    expect(staleSeedVersions(bumped, bumped)).toEqual([])
    expect(staleSeedVersions(bumped, lock)[0]).toMatch(/seeds\/order went back from 9\.0\.0/)
  })

  it('hash the content as loaded: not the version, the folder path or the key order', () => {
    const hash = seedContentHash(order)
    expect(seedContentHash({ ...order, dir: '/elsewhere/order' })).toBe(hash)
    expect(seedContentHash({ ...order, manifest: { ...order.manifest, version: '9.0.0' } })).toBe(
      hash,
    )
    const reordered = {
      ...order,
      manifest: Object.fromEntries(Object.entries(order.manifest).reverse()),
    }
    expect(seedContentHash(reordered as SeedPackage)).toBe(hash)
    expect(seedContentHash(editedOrder())).not.toBe(hash)
  })

  it('lock every shipped module, and only those', () => {
    const lock: VersionsLock = readVersionsLock()
    expect(Object.keys(lock)).toEqual(['customer', 'order', 'service', 'hr-admin'])
  })
})
