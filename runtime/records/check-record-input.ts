import type { Ctx } from '../context'
import { TrellisError, type Issue } from '../errors'
import { assertMayUpdate, assertStaysInScope } from './check-record-scope'
import { entityPlan } from './entity-plan'
import { loadLookups, needsLookups } from './lookups'
import { prepareWrite } from './prepare-write'
import { withDefaultOwner } from './record-access'
import type { RecordData } from './record-data'

/**
 * The problems a create (`old` null) or an update over `old` of `input` would be refused for,
 * without writing: the update scope and the 'assign' right first (as the update checks them),
 * then validation (required, types, rules, form rules, formulas), then the scope the written row
 * must fall in (create scope; update scope unless handed over), judged on the values. What an
 * import's preview shows per row; de-duplication is judged by the caller.
 * @example await checkRecordInput(ctx, 'customer', { name: '' }, null) // [{ path: 'name', … }]
 */
export async function checkRecordInput(
  ctx: Ctx,
  entityId: string,
  input: RecordData,
  old: RecordData | null,
): Promise<Issue[]> {
  const plan = entityPlan(ctx.meta, entityId)
  const values = old ? input : withDefaultOwner(ctx, plan, input)
  try {
    const id = old?.id as string | undefined
    const handedOver = id ? await assertMayUpdate(ctx, plan, id, input) : false
    const found = needsLookups(plan)
      ? await loadLookups(ctx, plan, [{ ...old, ...values }])
      : undefined
    const { record, changed } = prepareWrite(ctx, plan, values, old, found)
    await assertStaysInScope(ctx, plan, record, changed, id ? { id, handedOver } : null)
    return []
  } catch (err) {
    if (err instanceof TrellisError && err.status < 500)
      return err.details.length ? err.details : [{ path: '', message: err.message }]
    throw err
  }
}
