import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Db } from '../db'
import { planSequenceSteps } from './auto-number-sequences'
import { APP_SCHEMA, SCHEMA_LOCK_KEY } from './naming'
import type { ExistingObjects } from './plan'

/**
 * The sequences and indexes schema `app` has, and whether pg_trgm's operator class is there. An
 * invalid index (what a failed `create index concurrently` leaves) is listed apart: it serves no
 * query, so it counts as missing.
 */
export async function listExistingObjects(db: Db): Promise<ExistingObjects> {
  const rows = await db.query<{ name: string; kind: string; valid: boolean }>(
    sql`select c.relname as name, c.relkind::text as kind, coalesce(i.indisvalid, true) as valid
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_index i on i.indexrelid = c.oid
      where n.nspname = ${APP_SCHEMA} and c.relkind in ('S', 'i')`,
  )
  // Visible: index DDL names the class unqualified, so it must resolve on the search path.
  const [{ trigram }] = await db.query<{ trigram: boolean }>(
    sql`select exists (select 1 from pg_opclass o join pg_am a on a.oid = o.opcmethod
      where o.opcname = 'gin_trgm_ops' and a.amname = 'gin' and pg_opclass_is_visible(o.oid)
    ) as trigram`,
  )
  const indexes = rows.filter((r) => r.kind === 'i')
  return {
    sequences: rows.filter((r) => r.kind === 'S').map((r) => r.name),
    indexes: indexes.filter((r) => r.valid).map((r) => r.name),
    invalidIndexes: indexes.filter((r) => !r.valid).map((r) => r.name),
    trigram,
  }
}

/** The create statements of the auto-number sequences `entities` imply and the database lacks. */
function missingSequences(entities: Entity[], existing: ExistingObjects): SQL[][] {
  return planSequenceSteps(entities, entities, existing.sequences)
    .filter((s) => s.kind === 'createSequence')
    .map((s) => s.statements)
}

/**
 * Adds the auto-number sequences the published `entities` imply and the database lacks (an
 * instance from before sequences), each started after its counter row; answers how many. Run at
 * every open: numbering depends on them, and creating one is instant. The usual open finds
 * nothing missing and takes no lock.
 * @example await repairSequences(db, meta.bundle.entities) // 0
 */
export async function repairSequences(
  db: Db,
  entities: Entity[],
  existing?: ExistingObjects,
): Promise<number> {
  if (!missingSequences(entities, existing ?? (await listExistingObjects(db))).length) return 0
  return db.transaction(async (tx) => {
    // The publish lock: an open beside a publish (or another open) waits its turn.
    await tx.query(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`)
    const missing = missingSequences(entities, await listExistingObjects(tx))
    for (const statement of missing.flat()) await tx.query(statement)
    return missing.length
  })
}
