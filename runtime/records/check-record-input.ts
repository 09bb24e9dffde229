import type { Ctx } from '../context'
import { TrellisError, type Issue } from '../errors'
import { entityPlan } from './entity-plan'
import { loadLookups, needsLookups } from './lookups'
import { prepareWrite } from './prepare-write'
import { withDefaultOwner } from './record-access'
import type { RecordData } from './record-data'

/**
 * The problems a create (`old` null) or an update over `old` of `input` would be refused for by
 * validation (required, types, rules, form rules, formulas), without writing: what an import's
 * preview shows per row. De-duplication and scopes are judged by the write itself.
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
    const found = needsLookups(plan)
      ? await loadLookups(ctx, plan, [{ ...old, ...values }])
      : undefined
    prepareWrite(ctx, plan, values, old, found)
    return []
  } catch (err) {
    if (err instanceof TrellisError && err.status < 500)
      return err.details.length ? err.details : [{ path: '', message: err.message }]
    throw err
  }
}
