import type { SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { resolveAccess, ruleFieldNames } from '../permissions'
import type { EntityPlan } from './entity-plan'
import { patchedOwnerField } from './owner-change'
import { isRowInScope } from './record-access'
import { outsideUpdateScope } from './record-refusal-texts'
import type { RecordData } from './record-data'

/**
 * Whether a patch can move the record out of the caller's update scope: it sets the owner, or a
 * field a row filter of the update scope reads (any field at all when the filter reads a formula,
 * which the patch may recompute). Scopes by owner, department or share depend on nothing else.
 */
export function mayLeaveUpdateScope(ctx: Ctx, plan: EntityPlan, patch: RecordData): boolean {
  if (patchedOwnerField(plan, patch)) return true
  const refs = resolveAccess(ctx).grants.get(plan.entity.id)?.scopes.get('update') ?? []
  const touched = Object.keys(patch).filter((k) => patch[k] !== undefined && k !== 'version')
  for (const ref of refs) {
    if (ref.scope !== 'filter') continue
    for (const name of ruleFieldNames(ref.rule)) {
      if (touched.includes(name)) return true
      if (plan.fieldsByName.get(name)?.type === 'formula' && touched.length) return true
    }
  }
  return false
}

/** After an update, in its transaction: 403 when the row left the caller's update scope. */
export async function assertInUpdateScope(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  scope: SQL,
): Promise<void> {
  if (await isRowInScope(ctx, plan, id, scope)) return
  throw outsideUpdateScope(ctx, plan.entity.id)
}
