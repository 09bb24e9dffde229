import { ACTIONS, type Action } from '../../metadata/role'
import type { Ctx } from '../context'
import { fieldAccess } from './field-access'
import { canAttempt } from './scope-predicate'

/** What the caller may do with an entity's records, for a client to offer only that. */
export interface EntityCapabilities {
  /** Actions some role grants on the entity (a record may still lie outside the scope). */
  actions: Action[]
  /**
   * Fields the caller may read but not write; a child table's as `lines.unitPrice`. Hidden
   * fields are not listed: the server never sends them.
   */
  readOnlyFields: string[]
}

/** The names of the entity's fields the caller may read but not write (cached per role set). */
function readOnlyOf(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string, prefix = ''): string[] {
  return [...fieldAccess(ctx, entityId)]
    .filter(([, access]) => access === 'read')
    .map(([name]) => prefix + name)
}

/**
 * The actions the caller has a grant for on the entity and its read-only fields, its child
 * tables' included. No I/O: the per-record answer is `recordCapabilities`.
 * @example entityCapabilities(ctx, 'campaign') // { actions: ['read'], readOnlyFields: ['name', …] }
 */
export function entityCapabilities(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
): EntityCapabilities {
  const entity = ctx.meta.entities.get(entityId)
  const readOnlyFields = readOnlyOf(ctx, entityId)
  for (const field of entity?.fields ?? []) {
    if (field.type === 'childTable' && field.entity)
      readOnlyFields.push(...readOnlyOf(ctx, field.entity, `${field.name}.`))
  }
  return { actions: ACTIONS.filter((a) => canAttempt(ctx, entityId, a)), readOnlyFields }
}
