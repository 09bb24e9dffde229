import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { scopePredicate } from '../permissions'
import { entityPlan } from '../records'
import { mayNotReadTaskRecord } from './record-reach-texts'

/**
 * The record's version when the caller may read it, else null (an entity no longer published
 * counts as unreadable). One query by primary key.
 */
export async function readableVersion(
  ctx: Ctx,
  entity: string,
  id: string,
): Promise<number | null> {
  if (!ctx.meta.entities.has(entity)) return null
  const plan = entityPlan(ctx.meta, entity)
  const scope = scopePredicate(ctx, entity, 'read', { alias: 't' })
  const rows = await ctx.db.query<{ version: number }>(sql`
    select t.version from ${plan.table} t
    where t.id = ${id}::uuid and ${scope ?? sql`true`}`)
  return rows.length ? Number(rows[0].version) : null
}

/**
 * The record's version, or 403: an approver acts only on a record they may read (the inbox hides
 * the others, so acting on one is refused the same way).
 */
export async function assertReadable(ctx: Ctx, entity: string, id: string): Promise<number> {
  const version = await readableVersion(ctx, entity, id)
  if (version === null) {
    throw mayNotReadTaskRecord(ctx, entity)
  }
  return version
}
