import { sql, type SQL } from 'drizzle-orm'
import type { Action } from '../../metadata/role'
import type { Ctx } from '../context'
import { scopePredicate } from '../permissions'

/** The alias every sharing query gives the entity table. */
export const ALIAS = 't'
export const T = sql.identifier(ALIAS)

/** The caller's scope for `action` over `t` as a boolean SQL expression (`true` when unrestricted). */
export function scopeCondition(ctx: Ctx, entityId: string, action: Action): SQL {
  const predicate = scopePredicate(ctx, entityId, action, { alias: ALIAS })
  return predicate ? sql`(${predicate})` : sql`true`
}
