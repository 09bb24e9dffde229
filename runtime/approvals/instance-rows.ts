import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { ApprovalInstance } from '../flows/approval-instance'

/** The approval of a record the screens show: the running one, else the latest. */
export async function latestInstance(
  ctx: Pick<Ctx, 'db'>,
  entity: string,
  recordId: string,
): Promise<ApprovalInstance | null> {
  const rows = await ctx.db.query<{ data: ApprovalInstance | string }>(sql`
    select data from flow_instances where entity = ${entity} and record_id = ${recordId}::uuid
    order by (status = 'running') desc, started_at desc, id desc limit 1`)
  if (!rows.length) return null
  const data = rows[0].data
  return typeof data === 'string' ? (JSON.parse(data) as ApprovalInstance) : data
}

/** The public ids of an instance's tasks, by task key. */
export async function taskIds(
  ctx: Pick<Ctx, 'db'>,
  instanceId: string,
): Promise<Map<string, string>> {
  const rows = await ctx.db.query<{ id: string; task_key: string }>(sql`
    select id::text as id, task_key from approval_tasks where instance_id = ${instanceId}::uuid`)
  return new Map(rows.map((r) => [r.task_key, r.id]))
}

/** The flow, version and transition of an instance (null: none with that id). */
export async function instanceHead(
  ctx: Pick<Ctx, 'db'>,
  id: string,
): Promise<{ flow: string; flowVersion: number; transition: string } | null> {
  const rows = await ctx.db.query<{ flow: string; flow_version: number; transition: string }>(sql`
    select flow, flow_version, transition from flow_instances where id = ${id}::uuid`)
  const row = rows[0]
  return row
    ? { flow: row.flow, flowVersion: Number(row.flow_version), transition: row.transition }
    : null
}
