import type { Ctx } from '../context'
import { requireEntity } from '../registry'
import { requireCaller } from './caller'
import { loadTargets } from './load-targets'
import { assertMayShare } from './may-share'
import { validateIds } from './record-ids'
import { validateShareInput, type ShareInput } from './share-input'
import { writeShares } from './share-rows'

/**
 * Shares many records with one recipient, all or nothing: the first record the caller cannot
 * read (404) or may not share (403) is named as `ids[i]` and nothing is written.
 * @example await bulkShare(ctx, 'customer', { ids: [a, b], departmentId: east, access: 'read' })
 */
export async function bulkShare(
  ctx: Ctx,
  entityId: string,
  input: ShareInput & { ids: unknown },
): Promise<{ shared: number }> {
  requireCaller(ctx)
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const { ids, ...share } = input ?? ({} as typeof input)
  const checked = validateIds(ids, ctx.user?.locale)
  const target = await validateShareInput(ctx, share)
  return ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db }
    const paths = checked.map((_, i) => `ids[${i}]`)
    const targets = await loadTargets(tx, entity, checked, { paths })
    await assertMayShare(tx, entityId, targets, paths)
    await writeShares(tx, entityId, checked, target)
    return { shared: checked.length }
  })
}
