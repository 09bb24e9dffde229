import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { requireStore } from './upload-file'

/**
 * Removes a pending file of the caller at once (row, then bytes): what the runtime stored for a
 * write that then failed. A file a record holds is never touched. Answers whether it went.
 * @example await discardPendingFile(ctx, fileId)
 */
export async function discardPendingFile(ctx: Ctx, id: string): Promise<boolean> {
  const rows = await ctx.db.query<{ storage_key: string }>(
    sql`delete from files where id = ${id}::uuid and record_id is null
      and owner_id is not distinct from ${ctx.user?.id ?? null}::uuid returning storage_key`,
  )
  for (const row of rows) await requireStore(ctx).delete(row.storage_key)
  return rows.length > 0
}
