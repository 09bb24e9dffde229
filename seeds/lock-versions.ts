import { writeFileSync } from 'node:fs'
import { loadSeedPackages } from './load-seed-packages'
import {
  buildVersionsLock,
  readVersionsLock,
  unbumpedChanges,
  VERSIONS_LOCK_FILE,
} from './seed-versions'

/*
 * Records each shipped module's version and content hash in seeds/versions.lock, after a
 * module's manifest version was bumped for a change. Refuses a module that changed under its
 * recorded version, unless `--keep-version` says that version has not shipped yet.
 *   npx tsx seeds/lock-versions.ts [--keep-version]
 */

const now = buildVersionsLock(loadSeedPackages())
const unbumped = unbumpedChanges(readVersionsLock(), now)
if (unbumped.length && !process.argv.includes('--keep-version')) {
  console.error(unbumped.join('\n'))
  console.error('(--keep-version records them anyway: only for a version that has not shipped)')
  process.exit(1)
}
writeFileSync(VERSIONS_LOCK_FILE, `${JSON.stringify(now, null, 2)}\n`)
for (const [name, { version }] of Object.entries(now)) console.log(`seeds/${name} ${version}`)
