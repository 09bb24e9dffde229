import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { assertObject } from './create-record'
import { entityPlan } from './entity-plan'
import { previewLatest } from './latest-from'
import { assertCanAttempt } from './record-access'
import type { RecordData } from './record-data'

/**
 * What the server fills on save that a form shows before it: the latestFrom values of a draft
 * of a top-level record and its child rows, searched in the caller's read scope (a caller who
 * may not read the entity gets 403). Writes nothing.
 * @example await previewRecord(ctx, 'quote', { customer, lines: [{ product }] })
 */
export async function previewRecord(
  ctx: Ctx,
  entityId: string,
  draft: unknown,
): Promise<RecordData> {
  const plan = entityPlan(ctx.meta, entityId)
  if (plan.entity.childOf)
    throw new BadRequestError(`'${entityId}' rows are previewed with their parent`, [
      { path: 'entity', message: 'is a child table' },
    ])
  assertObject(draft)
  assertCanAttempt(ctx, entityId, 'read')
  return previewLatest(ctx, plan, draft as RecordData)
}
