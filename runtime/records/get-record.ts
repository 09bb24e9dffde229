import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { entityPlan } from './entity-plan'
import { readRecord } from './read-record'
import { isUuid, type RecordData } from './record-data'

/** The 404 for a record id that does not exist (or is not a uuid). */
export function recordNotFound(entityId: string, id: string): NotFoundError {
  return new NotFoundError(`No ${entityId} with id '${id}'`, [
    { path: 'id', message: 'no such record' },
  ])
}

/**
 * One record with its child rows; with `related`, the default form's related lists trimmed to
 * their limit (default 5) with `hasMore`. One query.
 * @example await getRecord(ctx, 'customer', id, { related: true }) // { id, name, …, related: { contacts: { data, hasMore } } }
 */
export async function getRecord(
  ctx: Ctx,
  entityId: string,
  id: string,
  opts: { related?: boolean } = {},
): Promise<RecordData & { related?: Record<string, { data: RecordData[]; hasMore: boolean }> }> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(entityId, id)
  const record = await readRecord(ctx, plan, id, opts.related === true)
  if (!record) throw recordNotFound(entityId, id)
  return record
}
