import type { Ctx } from '../context'
import { entityPlan } from './entity-plan'
import { explainMissedWrite, requireExpectedVersion } from './expected-version'
import { recordNotFound } from './get-record'
import { isUuid } from './record-data'
import { toWriteError } from './write-errors'
import { buildDelete, writeStamp } from './write-statements'

/**
 * Deletes a record at the expected version (child rows go with it), with audit and outbox in the
 * same statement. Missing version → 422, stale → 409, unknown id → 404.
 */
export async function deleteRecord(
  ctx: Ctx,
  entityId: string,
  id: string,
  expectedVersion?: number,
): Promise<void> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(entityId, id)
  const expected = requireExpectedVersion(expectedVersion, undefined)
  let rows: unknown[]
  try {
    rows = await ctx.db.query(buildDelete(plan, writeStamp(ctx, plan), id, expected))
  } catch (err) {
    throw toWriteError(plan, err)
  }
  if (!rows.length) throw await explainMissedWrite(ctx, plan, id)
}
