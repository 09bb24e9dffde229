import type { Ctx } from '../context'
import { entityPlan } from './entity-plan'
import { readRecord, type ReadScopes } from './read-record'
import { hiddenFields, scopePredicate, stripHidden } from '../permissions'
import { isUuid, type RecordData } from './record-data'
import { recordNotFound } from './record-refusal-texts'

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
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  const record = await readRecord(ctx, plan, id, opts.related === true, readScopes(ctx, entityId))
  if (!record) throw recordNotFound(ctx, entityId, id)
  return record
}

/** The caller's read scopes and field rules for a record read (alias t) and its related lists. */
export function readScopes(ctx: Ctx, entityId: string): ReadScopes {
  return {
    record: scopePredicate(ctx, entityId, 'read', { alias: 't' }),
    related: (id, alias) => scopePredicate(ctx, id, 'read', { alias }),
    strip: (id, row) => stripHidden(hiddenFields(ctx, id), row),
  }
}
