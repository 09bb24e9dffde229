import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareVersionTexts } from '../metadata/package-version'
import { canonicalJson } from '../runtime/registry'
import type { SeedPackage } from './load-seed-packages'

/*
 * Installed packages upgrade only to a newer version, so a shipped module whose content changes
 * under the same version never reaches an instance that has it. seeds/versions.lock records
 * each module's version and a hash of its content; seed-versions.test.ts compares them.
 */

/** Each shipped module's folder name → the version and content hash last recorded. */
export type VersionsLock = Record<string, { version: string; hash: string }>

export const VERSIONS_LOCK_FILE = join(dirname(fileURLToPath(import.meta.url)), 'versions.lock')
export const LOCK_COMMAND = 'npx tsx seeds/lock-versions.ts'

/**
 * A hash of a module as the package loader reads it: its definitions (scenarios, READMEs and
 * `$schema` lines left out, as the loader leaves them) and its manifest without the version, in
 * a stable key order. Demo data lives outside the module folders and is not part of it.
 * @example seedContentHash(loadSeedPackage('seeds/order')) // 'sha256:3f1c…'
 */
export function seedContentHash(pkg: SeedPackage): string {
  const { dir: _dir, manifest, ...definitions } = pkg
  const { version: _version, ...rest } = manifest
  const content = canonicalJson({ manifest: rest, ...definitions })
  return `sha256:${createHash('sha256').update(content).digest('hex')}`
}

/** The lock of `packages` as they are now, keyed by folder name in their order. */
export function buildVersionsLock(packages: SeedPackage[]): VersionsLock {
  return Object.fromEntries(
    packages.map((p) => [
      basename(p.dir),
      { version: p.manifest.version, hash: seedContentHash(p) },
    ]),
  )
}

/** The committed lock, empty when there is none yet. */
export function readVersionsLock(file = VERSIONS_LOCK_FILE): VersionsLock {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as VersionsLock
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
}

/**
 * What stops `now` from being recorded over `lock`: a module changed under its recorded version.
 * Empty when every change came with a newer version.
 */
export function unbumpedChanges(lock: VersionsLock, now: VersionsLock): string[] {
  return Object.entries(now)
    .filter(([name, { version, hash }]) => {
      const was = lock[name]
      return was && was.version === version && was.hash !== hash
    })
    .map(
      ([name, { version }]) =>
        `seeds/${name} changed since ${version}: bump its manifest version and run \`${LOCK_COMMAND}\``,
    )
}

/**
 * Each way the committed lock disagrees with the modules as they are now, as a sentence saying
 * what to do: content changed under the same version, a version that went back, a lock that
 * lags a bump (the next change would slip through), a module missing from it or gone.
 */
export function staleSeedVersions(lock: VersionsLock, now: VersionsLock): string[] {
  const problems = unbumpedChanges(lock, now)
  for (const [name, { version }] of Object.entries(now)) {
    const was = lock[name]
    if (!was) problems.push(`seeds/${name} is not in seeds/versions.lock: run \`${LOCK_COMMAND}\``)
    else if ((compareVersionTexts(version, was.version) ?? 0) < 0)
      problems.push(
        `seeds/${name} went back from ${was.version} to ${version}: installed packages do not downgrade`,
      )
    else if (version !== was.version)
      problems.push(
        `seeds/${name} is ${version} but seeds/versions.lock records ${was.version}: run \`${LOCK_COMMAND}\``,
      )
  }
  for (const name of Object.keys(lock)) {
    if (!(name in now)) problems.push(`seeds/${name} is no longer shipped: run \`${LOCK_COMMAND}\``)
  }
  return problems
}
