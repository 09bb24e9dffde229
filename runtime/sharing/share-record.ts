import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { requireEntity } from '../registry'
import { requireCaller } from './caller'
import { loadTargets } from './load-targets'
import { assertMayShare } from './may-share'
import { recordIdOr404 } from './record-id'
import { isUuid, validateShareInput, type ShareInput } from './share-input'
import { selectShares, writeShares, type Share } from './share-rows'

/**
 * Shares one record with a user or a department, read-only or read-write, optionally until a
 * time. 404 when the caller cannot read the record, 403 unless they own it, are above its owner
 * in the manager chain or are an administrator, 422 naming a bad field.
 * @example await shareRecord(ctx, 'customer', id, { userId: ana.id, access: 'read' })
 */
export async function shareRecord(
  ctx: Ctx,
  entityId: string,
  recordId: string,
  input: ShareInput,
): Promise<Share> {
  requireCaller(ctx)
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const id = recordIdOr404(ctx, entityId, recordId)
  return ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db }
    const targets = await loadTargets(tx, entity, [id], { paths: ['id'] })
    await assertMayShare(tx, entityId, targets, ['id'])
    const target = await validateShareInput(tx, input)
    const [shareId] = await writeShares(tx, entityId, [id], target)
    const [share] = await selectShares(tx, sql`s.id = ${shareId}::uuid`)
    return share
  })
}

/**
 * Ends a share of a record: allowed for whoever may share the record and for whoever made the
 * share. 404 when the record is not readable or the share is not one of its shares.
 */
export async function unshareRecord(
  ctx: Ctx,
  entityId: string,
  recordId: string,
  shareId: string,
): Promise<void> {
  const me = requireCaller(ctx).id
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const id = recordIdOr404(ctx, entityId, recordId)
  const missing = new NotFoundError(`No share '${shareId}' on this record`, [
    { path: 'shareId', message: 'no such share' },
  ])
  if (!isUuid(shareId)) throw missing
  const share = shareId.toLowerCase()
  await ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db }
    const targets = await loadTargets(tx, entity, [id], { paths: ['id'] })
    const rows = await db.query<{ created_by: string | null }>(sql`
      select created_by::text as created_by from record_shares
      where id = ${share}::uuid and entity = ${entityId} and record_id = ${id}::uuid`)
    if (!rows.length) throw missing
    if (rows[0].created_by !== me) await assertMayShare(tx, entityId, targets, ['id'])
    await db.query(sql`delete from record_shares where id = ${share}::uuid`)
  })
}
