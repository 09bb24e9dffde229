import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { migratePlatform, openDb, type Db } from '../../runtime/db'

const ROOT = new URL('../../', import.meta.url).pathname
const MIGRATIONS = join(ROOT, 'runtime/db/migrations')
const PREFIX = 'trellis-test-pglite-'

/**
 * What a migrated database depends on: the migrations, the code that applies them and PGlite's
 * version. A change to any of them names another snapshot file.
 */
function snapshotKey(): string {
  const hash = createHash('sha256')
  const files = readdirSync(MIGRATIONS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
  for (const file of [
    ...files,
    join(ROOT, 'runtime/db/migrate.ts'),
    join(ROOT, 'node_modules/@electric-sql/pglite/package.json'),
  ])
    hash.update(file).update(readFileSync(file))
  return hash.digest('hex').slice(0, 16)
}

/**
 * Migrates a new PGlite database in a folder and dumps it to `file` (written beside it and renamed,
 * so a test file in another worker never reads half a snapshot). Older snapshots are removed.
 */
async function writeSnapshot(file: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}build-`))
  try {
    const db = await openDb({ dataDir: dir })
    await migratePlatform(db)
    await db.close()
    const pg = await PGlite.create(dir, { extensions: { pg_trgm } })
    const dump = await pg.dumpDataDir('none')
    await pg.close()
    const partial = `${file}.${process.pid}`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  for (const name of readdirSync(tmpdir()))
    if (name.startsWith(PREFIX) && name.endsWith('.tar') && join(tmpdir(), name) !== file)
      rmSync(join(tmpdir(), name), { force: true })
}

/**
 * A fresh in-memory PGlite database with the platform migrations applied. Creating a PGlite
 * database runs initdb, seconds per database on a busy machine; every integration file needs
 * one, so the first builds a migrated snapshot in the temp folder and the rest start from it.
 * `migratePlatform` still runs on each (a no-op on an up-to-date snapshot).
 */
export async function openMigratedPglite(): Promise<Db> {
  const file = join(tmpdir(), `${PREFIX}${snapshotKey()}.tar`)
  if (!existsSync(file)) await writeSnapshot(file)
  const db = await openDb({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(file)]) })
  await migratePlatform(db)
  return db
}
