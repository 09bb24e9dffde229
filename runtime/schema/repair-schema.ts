import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Db } from '../db'
import { planSequenceSteps } from './auto-number-sequences'
import { buildCreateIndex, buildIndexSpecs } from './ddl'
import { APP_SCHEMA, SCHEMA_LOCK_KEY } from './naming'
import type { ExistingObjects } from './plan'

/** The sequences and indexes schema `app` has, in one catalogue query. */
export async function listExistingObjects(db: Db): Promise<ExistingObjects> {
  const rows = await db.query<{ name: string; kind: string }>(
    sql`select c.relname as name, c.relkind::text as kind from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${APP_SCHEMA} and c.relkind in ('S', 'i')`,
  )
  return {
    sequences: rows.filter((r) => r.kind === 'S').map((r) => r.name),
    indexes: rows.filter((r) => r.kind === 'i').map((r) => r.name),
  }
}

/**
 * What the published `entities` imply and the database lacks, safe to add at start-up: the
 * auto-number sequences (an instance from before sequences), started after their counter rows,
 * and the non-unique indexes a newer release derives from unchanged metadata (the trigram
 * indexes search reads, say) or dropped by hand. A missing unique index is left to
 * `trellis plan` / `apply`: duplicates could refuse it.
 */
function missingObjects(entities: Entity[], existing: ExistingObjects): SQL[][] {
  const sequences = planSequenceSteps(entities, entities, existing.sequences)
    .filter((s) => s.kind === 'createSequence')
    .map((s) => s.statements)
  const have = new Set(existing.indexes)
  const indexes = entities.flatMap((entity) =>
    buildIndexSpecs(entity)
      .filter((spec) => !spec.unique && !have.has(spec.name))
      .map((spec) => [buildCreateIndex(entity, spec)]),
  )
  return [...sequences, ...indexes]
}

/**
 * Adds the sequences and indexes the metadata implies and the database lacks (see
 * `missingObjects`); answers how many it added. Idempotent; run at start-up. The usual
 * start finds nothing missing and takes no lock.
 * @example await repairSchema(db, meta.bundle.entities) // 0
 */
export async function repairSchema(db: Db, entities: Entity[]): Promise<number> {
  if (!missingObjects(entities, await listExistingObjects(db)).length) return 0
  return db.transaction(async (tx) => {
    // The publish lock: a start-up beside a publish (or another start-up) waits its turn.
    await tx.query(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`)
    const missing = missingObjects(entities, await listExistingObjects(tx))
    for (const statement of missing.flat()) await tx.query(statement)
    return missing.length
  })
}
