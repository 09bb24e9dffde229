import type { Ctx } from '../context'
import { scopePredicate } from '../permissions'
import { entityPlan, type EntityPlan } from './entity-plan'
import { ROW_ALIAS, assertWriteScope } from './record-access'
import { readRecord } from './read-record'
import { feedsRollups, refreshRollups } from './rollups'
import { explainMissedWrite, requireExpectedVersion } from './expected-version'
import { assertNoRunningApproval, assertStateAllowsDelete, lockRow } from './flow-lock'
import { flowOf } from '../flows/flow-of'
import { recordNotFound } from './record-refusal-texts'
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
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  const expected = requireExpectedVersion(ctx, entityId, expectedVersion, undefined)
  // Null for unrestricted callers: one statement, as before.
  const scope = scopePredicate(ctx, entityId, 'delete', { alias: ROW_ALIAS })
  const rollups = feedsRollups(plan)
  const flow = flowOf(ctx.meta, entityId)
  if (!scope && !rollups && !flow) return applyDelete(ctx, plan, id, expected)
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx }
    if (scope) await assertWriteScope(txCtx, plan, id, 'delete', scope)
    if (flow) {
      // Locked first: a transition starting an approval now waits, then finds the record gone.
      if (!scope) await lockRow(txCtx, plan, id)
      await assertNoRunningApproval(txCtx, plan, id)
      await assertStateAllowsDelete(txCtx, flow, plan, id, expected)
    }
    // The records it counted toward, read before it goes; their roll-ups after.
    const old = rollups ? await readRecord(txCtx, plan, id, false) : null
    await applyDelete(txCtx, plan, id, expected)
    if (old) await refreshRollups(txCtx, plan, [old])
  })
}

async function applyDelete(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  expected: number,
): Promise<void> {
  let rows: unknown[]
  try {
    rows = await ctx.db.query(buildDelete(plan, writeStamp(ctx, plan), id, expected))
  } catch (err) {
    throw toWriteError(plan, err)
  }
  if (!rows.length) throw await explainMissedWrite(ctx, plan, id)
}
