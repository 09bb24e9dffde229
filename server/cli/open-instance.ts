import pino from 'pino'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, type Ctx } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { loadPublishedMetadata } from '../../runtime/registry'
import { buildMissingIndexes, listExistingObjects, repairSequences } from '../../runtime/schema'
import { readConfig, type Config } from '../config'

/**
 * Opens the configured database, migrated, with a context acting as the system user. An instance
 * from an older release gets the auto-number sequences its metadata now implies (numbering
 * needs them; each is instant). Missing indexes: built here on PGlite (one process, small data);
 * on PostgreSQL only `start` builds them, in the background (`buildIndexesInBackground`).
 */
export async function openInstance(
  config: Config = readConfig(),
  options: { server?: boolean } = {},
): Promise<{ db: Db; ctx: Ctx; config: Config; log: pino.Logger }> {
  const log = pino({ level: config.logLevel })
  const db = await openDb(
    config.databaseUrl
      ? { url: config.databaseUrl }
      : { dataDir: config.dataDir, leanWasm: options.server && config.pgliteLean },
  )
  await migratePlatform(db)
  const meta = await loadPublishedMetadata(db)
  // One listing serves both repairs; a sequence added in between names no index.
  const existing = await listExistingObjects(db)
  const added = await repairSequences(db, meta.bundle.entities, existing)
  if (added) log.info({ added }, 'added missing auto-number sequences')
  if (db.dialect === 'pglite')
    await buildMissingIndexes(db, meta.bundle.entities, { log, concurrently: false, existing })
  return { db, config, log, ctx: { db, user: SYSTEM_USER, clock: systemClock, log, meta } }
}

/**
 * For `start`, once the server listens: on PostgreSQL, builds the indexes the published metadata
 * implies and the database lacks (an upgrade that derives new ones, say), concurrently and one
 * at a time, so a big table neither delays the start nor blocks writes. Never throws.
 */
export async function buildIndexesInBackground(db: Db, log: pino.Logger): Promise<void> {
  if (db.dialect !== 'postgres') return
  try {
    const { bundle } = await loadPublishedMetadata(db)
    const built = await buildMissingIndexes(db, bundle.entities, { log, concurrently: true })
    if (built) log.info({ built }, 'built the missing indexes')
  } catch (err) {
    log.error({ err }, 'could not build the missing indexes')
  }
}
