import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { ApprovalInstance } from './approval-instance'

/** The record's running approval (null: none) and its latest one, read without locks. */
export async function readRecordInstances(
  ctx: Ctx,
  entity: string,
  recordId: string,
): Promise<{ running: ApprovalInstance | null; latest: ApprovalInstance | null }> {
  const rows = await ctx.db.query<{ data: unknown }>(sql`
    select data from flow_instances where entity = ${entity} and record_id = ${recordId}::uuid
    order by (status = 'running') desc, started_at desc limit 1`)
  const data = rows[0]?.data
  const latest = (
    typeof data === 'string' ? JSON.parse(data) : (data ?? null)
  ) as ApprovalInstance | null
  return { running: latest?.status === 'running' ? latest : null, latest }
}
