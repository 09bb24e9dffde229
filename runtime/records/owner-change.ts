import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { EntityPlan } from './entity-plan'
import { ROW_ALIAS } from './record-access'
import { mayNotChangeOwner } from './record-refusal-texts'
import type { RecordData } from './record-data'

/** The owner field a patch sets (its name), or null when it leaves the owner alone. */
export function patchedOwnerField(plan: EntityPlan, patch: RecordData): string | null {
  const field = plan.entity.ownerField
  if (!field || patch[field] === undefined || !plan.storedByName.has(field)) return null
  return field
}

/**
 * Inside an update's transaction: locks the row and tells whether the patch gives it another
 * owner. That needs the 'assign' action on the record (`assign`: its scope over alias t, null when
 * unrestricted): 403 naming the owner field otherwise. Echoing the stored owner is no change.
 * A missing row is left to the write, which answers 404 or 409 itself.
 */
export async function checkOwnerChange(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  patch: RecordData,
  assign: SQL | null,
): Promise<boolean> {
  const field = patchedOwnerField(plan, patch)
  if (!field) return false
  const column = plan.storedByName.get(field)!.idents[0]
  const t = sql.identifier(ROW_ALIAS)
  const allowed = assign ? sql`coalesce(${assign}, false)` : sql`true`
  const rows = await ctx.db.query<{ owner: string | null; allowed: boolean }>(sql`
    select ${t}.${column}::text as owner, ${allowed} as allowed
    from ${plan.table} ${t} where ${t}.id = ${id} for update of ${t}`)
  const row = rows[0]
  if (!row) return false
  const wanted = patch[field]
  const same =
    typeof wanted === 'string' ? wanted.toLowerCase() === row.owner : wanted === row.owner
  if (same) return false
  if (!row.allowed) {
    throw mayNotChangeOwner(ctx, plan.entity.id, field)
  }
  return true
}
