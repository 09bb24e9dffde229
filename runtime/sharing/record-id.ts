import type { Ctx } from '../context'
import { recordNotFound } from '../records'
import { isUuid } from './share-input'

/** The record id in canonical lower case, or 404 (in the caller's language) when not a uuid. */
export function recordIdOr404(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  id: string,
  path = 'id',
): string {
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id, path)
  return id.toLowerCase()
}
