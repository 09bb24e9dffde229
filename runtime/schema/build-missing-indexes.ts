import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Logger } from '../context'
import type { Db } from '../db'
import { buildCreateIndex, buildDropIndex, buildIndexSpecs, type IndexSpec } from './ddl'
import { APP_SCHEMA, SCHEMA_LOCK_KEY, tableName } from './naming'
import type { ExistingObjects } from './plan'
import { listExistingObjects } from './repair-schema'

/** One index the published metadata implies and the database lacks. */
export interface MissingIndex {
  entity: Entity
  spec: IndexSpec
  /** An invalid leftover of the same name is in the way. */
  invalid: boolean
}

/**
 * The non-unique indexes `entities` imply and the database lacks: derived by a newer release from
 * unchanged metadata (the trigram indexes search reads, say; only when pg_trgm is there), dropped
 * by hand, or left invalid by a failed build. A missing unique index is left to a publish:
 * duplicates could refuse it, and the admin must see why.
 */
export function listMissingIndexes(entities: Entity[], existing: ExistingObjects): MissingIndex[] {
  const have = new Set(existing.indexes)
  const invalid = new Set(existing.invalidIndexes ?? [])
  return entities.flatMap((entity) =>
    buildIndexSpecs(entity, { trigram: existing.trigram })
      .filter((spec) => !spec.unique && !have.has(spec.name))
      .map((spec) => ({ entity, spec, invalid: invalid.has(spec.name) })),
  )
}

export interface BuildIndexesOptions {
  log: Logger
  /**
   * true (PostgreSQL, after the server listens): `create index concurrently`, one at a time,
   * outside any transaction, so writes and publishes go on. false (PGlite: one process, small
   * data): each index in a short transaction under the publish lock.
   */
  concurrently: boolean
  /** What the database holds, when the caller has just listed it. */
  existing?: ExistingObjects
}

/**
 * Builds the indexes `listMissingIndexes` finds, logging each one built and each failure;
 * answers how many it built. Never throws: a missing index makes queries slower, not wrong, and
 * the next start tries again.
 * @example void buildMissingIndexes(db, meta.bundle.entities, { log, concurrently: true })
 */
export async function buildMissingIndexes(
  db: Db,
  entities: Entity[],
  options: BuildIndexesOptions,
): Promise<number> {
  let missing: MissingIndex[]
  try {
    missing = listMissingIndexes(entities, options.existing ?? (await listExistingObjects(db)))
  } catch (err) {
    options.log.error({ err }, 'could not list the missing indexes')
    return 0
  }
  let built = 0
  // Tables another process (a second server starting too) is indexing: the rest is left to it,
  // as two builds on one table can deadlock.
  const busy = new Set<string>()
  for (const index of missing) {
    if (busy.has(index.entity.id)) continue
    const outcome = await buildIndex(db, index, options)
    if (outcome === 'built') built++
    if (outcome === 'busy') busy.add(index.entity.id)
  }
  return built
}

/** What became of one missing index. */
type Outcome = 'built' | 'present' | 'busy' | 'failed'

/** Builds one index, first dropping an invalid leftover of its name. */
async function buildIndex(
  db: Db,
  index: MissingIndex,
  { log, concurrently }: BuildIndexesOptions,
): Promise<Outcome> {
  const about = { entity: index.entity.id, index: index.spec.name }
  try {
    const outcome = concurrently
      ? await buildConcurrently(db, index)
      : await db.transaction(async (tx) => {
          await tx.query(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`)
          return buildNow(tx, index)
        })
    if (outcome === 'busy')
      log.info(about, 'another process is building indexes of this table: left to it')
    if (outcome === 'built') log.info(about, 'built missing index')
    return outcome
  } catch (err) {
    // A failed concurrent build leaves an invalid index: the next start drops and rebuilds it.
    log.warn({ ...about, err }, 'could not build missing index; the next start tries again')
    return 'failed'
  }
}

/** A relation of `app` by name, or null when there is none. */
const regclassOf = (name: string) =>
  sql`to_regclass(format('%I.%I', ${APP_SCHEMA}::text, ${name}::text))`

async function isValidIndex(db: Db, name: string): Promise<boolean> {
  const [{ valid }] = await db.query<{ valid: boolean }>(
    sql`select coalesce((select indisvalid from pg_index where indexrelid = ${regclassOf(name)}),
      false) as valid`,
  )
  return valid
}

/** In the caller's transaction, under the publish lock (a publish may have built it meanwhile). */
async function buildNow(tx: Db, { entity, spec, invalid }: MissingIndex): Promise<Outcome> {
  if (await isValidIndex(tx, spec.name)) return 'present'
  if (invalid) await tx.query(buildDropIndex(spec.name))
  await tx.query(buildCreateIndex(entity, spec))
  return 'built'
}

/**
 * `create index concurrently`, outside any transaction. 'busy' when another process is building
 * an index of the same table: its build may be the invalid leftover here, and two builds on one
 * table can deadlock. Whatever that process fails to build, the next start finds missing.
 */
async function buildConcurrently(
  db: Db,
  { entity, spec, invalid }: MissingIndex,
): Promise<Outcome> {
  const [{ busy }] = await db.query<{ busy: boolean }>(
    sql`select exists (select 1 from pg_stat_progress_create_index
      where relid = ${regclassOf(tableName(entity))}) as busy`,
  )
  if (busy) return 'busy'
  if (await isValidIndex(db, spec.name)) return 'present'
  // Unprepared: one-off DDL, nothing to reuse, and no named statement left on the connection.
  if (invalid) await db.query(buildDropIndex(spec.name, { concurrently: true }), { prepare: false })
  await db.query(buildCreateIndex(entity, spec, { concurrently: true }), { prepare: false })
  // `if not exists` passes over an index another process started meanwhile: do not claim it.
  return (await isValidIndex(db, spec.name)) ? 'built' : 'busy'
}
