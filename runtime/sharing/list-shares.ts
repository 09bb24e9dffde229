import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { requireEntity } from '../registry'
import { requireCaller } from './caller'
import { loadTargets } from './load-targets'
import { recordIdOr404 } from './record-id'
import { selectShares, type Share } from './share-rows'

/**
 * Who a record is shared with (active shares only); 404 when the caller cannot read the record.
 * @example await listShares(ctx, 'customer', id) // [{ id, userId, access: 'read', userName, … }]
 */
export async function listShares(ctx: Ctx, entityId: string, recordId: string): Promise<Share[]> {
  requireCaller(ctx)
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const id = recordIdOr404(ctx, entityId, recordId)
  await loadTargets(ctx, entity, [id], { paths: ['id'] })
  return selectShares(ctx, sql`s.entity = ${entityId} and s.record_id = ${id}::uuid`)
}
