import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { mayNotRecord, recordNotFound } from '../records'
import { APP_SCHEMA, tableName } from '../schema'
import type { Entity } from '../../metadata/entity'
import { ownerColumn } from './record-owner'
import { scopeCondition, T } from './scope-condition'

/** One record a sharing or transfer call aims at. */
export interface Target {
  id: string
  owner: string | null
}

/** The entity table as `app.<table> t`. */
export function entityTable(entity: Entity) {
  return sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))} ${T}`
}

/** `'id-a', 'id-b'` as a parameter list for `in (…)`. */
export function idList(ids: readonly string[]) {
  return sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )
}

/**
 * The records `ids` with their owners, in the order given; 404 naming the first one that does not
 * exist or lies outside the caller's read scope, and, with `action`, 403 naming the first one
 * outside that action's scope. `lock` takes row locks (inside a transaction).
 */
export async function loadTargets(
  ctx: Ctx,
  entity: Entity,
  ids: readonly string[],
  opts: { paths: string[]; action?: 'assign' | 'update'; lock?: boolean },
): Promise<Target[]> {
  const owner = ownerColumn(entity).column
  const allowed = opts.action ? scopeCondition(ctx, entity.id, opts.action) : sql`true`
  const rows = await ctx.db.query<{ id: string; owner: string | null; allowed: boolean }>(sql`
    select ${T}.id::text as id, ${T}.${owner}::text as owner, coalesce(${allowed}, false) as allowed
    from ${entityTable(entity)}
    where ${T}.id in (${idList(ids)}) and coalesce(${scopeCondition(ctx, entity.id, 'read')}, false)
    ${opts.lock ? sql`for update of ${T}` : sql``}`)
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.map((id, i) => {
    const row = byId.get(id)
    const path = opts.paths[i]
    if (!row) {
      throw recordNotFound(ctx, entity.id, id, path)
    }
    if (!row.allowed && opts.action) throw mayNotRecord(ctx, entity.id, opts.action, { id, path })
    return { id, owner: row.owner }
  })
}
