import pino from 'pino'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, type Ctx } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { loadPublishedMetadata } from '../../runtime/registry'
import { repairSchema } from '../../runtime/schema'
import { readConfig, type Config } from '../config'

/** Opens the configured database, migrated, with a context acting as the system user. */
export async function openInstance(
  config: Config = readConfig(),
): Promise<{ db: Db; ctx: Ctx; config: Config; log: pino.Logger }> {
  const log = pino({ level: config.logLevel })
  const db = await openDb(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  )
  await migratePlatform(db)
  const meta = await loadPublishedMetadata(db)
  // An instance from an older release gets the sequences and indexes the metadata now implies.
  const repaired = await repairSchema(db, meta.bundle.entities)
  if (repaired) log.info({ added: repaired }, 'added missing auto-number sequences and indexes')
  return { db, config, log, ctx: { db, user: SYSTEM_USER, clock: systemClock, log, meta } }
}
