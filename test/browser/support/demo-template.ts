import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { inject } from 'vitest'
import { openDb, type Db } from '../../../runtime/db'
import './global-setup'

/**
 * Installing the four modules and the demo takes tens of seconds; most browser files need the
 * same fresh demo. The first file of a run that needs one installs it as always and keeps it as a
 * template in the run's folder (global-setup.ts); later files start from a copy, which is the
 * state a fresh install leaves. Outside the browser project (no run folder) every call installs.
 */
function runFolder(): string | undefined {
  try {
    return inject('demoTemplates')
  } catch {
    return undefined
  }
}

/**
 * A data folder holding what `build` leaves in the folder it is given, built once per run and
 * answered from then on; `undefined` when there is no run folder (the caller installs itself).
 * Built beside the template and renamed into place, so a reader never sees half a template; one
 * file builds it while the others wait (files run in parallel).
 * @example const folder = await demoFolder('start', (dir) => installInto(dir))
 */
export async function demoFolder(
  name: string,
  build: (dir: string) => Promise<void>,
): Promise<string | undefined> {
  const root = runFolder()
  if (!root) return undefined
  const folder = join(root, name)
  // Files run two at a time: the first to take the lock builds, the others wait for its folder.
  const lock = `${folder}.lock`
  for (;;) {
    if (existsSync(folder)) return folder
    let held: number
    try {
      held = openSync(lock, 'wx')
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
      continue
    }
    try {
      if (existsSync(folder)) return folder
      const partial = mkdtempSync(join(root, `${name}.building-`))
      try {
        await build(partial)
        renameSync(partial, folder)
      } finally {
        rmSync(partial, { recursive: true, force: true })
      }
      return folder
    } finally {
      closeSync(held)
      rmSync(lock, { force: true })
    }
  }
}

/**
 * A new in-memory database loaded from a dump of the demo `install` writes at `key`, built once
 * per run; `undefined` when there is no run folder.
 * @example const db = await demoDump('demo-0.1', (db) => install(db, 0.1))
 */
export async function demoDump(
  key: string,
  install: (db: Db) => Promise<void>,
): Promise<Db | undefined> {
  const folder = await demoFolder(`${key}-pgdata`, async (dir) => {
    const db = await openDb({ dataDir: dir })
    await install(db)
    await db.close()
  })
  if (!folder) return undefined
  // The dump is built under its own lock too: two files opening PGlite on the one data folder at
  // once broke it (ErrnoError 44 in the second).
  const dumped = await demoFolder(`${key}-dump`, async (dir) => {
    const pg = await PGlite.create(folder, { extensions: { pg_trgm } })
    const tar = await pg.dumpDataDir('none')
    await pg.close()
    writeFileSync(join(dir, 'data.tar'), Buffer.from(await tar.arrayBuffer()))
  })
  const dump = readFileSync(join(dumped!, 'data.tar'))
  return openDb({ dataDir: 'memory://', loadDataDir: new Blob([dump]) })
}
