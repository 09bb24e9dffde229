import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ConflictError, NotFoundError } from '../errors'
import type { ApprovalInstance, ApprovalTask } from './approval-instance'

const parse = (data: unknown): ApprovalInstance =>
  (typeof data === 'string' ? JSON.parse(data) : data) as ApprovalInstance

/** Locks an instance row (`for update`) and answers it; 404 when there is none. */
export async function lockInstance(ctx: Ctx, id: string): Promise<ApprovalInstance> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
  const rows = uuid.test(id)
    ? await ctx.db.query<{ data: unknown }>(
        sql`select data from flow_instances where id = ${id}::uuid for update`,
      )
    : []
  if (!rows.length)
    throw new NotFoundError('No such approval', [{ path: 'instance', message: 'not found' }])
  return parse(rows[0].data)
}

/** The id of the record's running instance, if any (not locked). */
export async function runningInstanceId(
  ctx: Ctx,
  entity: string,
  recordId: string,
): Promise<string | null> {
  const rows = await ctx.db.query<{ id: string }>(sql`
    select id::text as id from flow_instances
    where entity = ${entity} and record_id = ${recordId}::uuid and status = 'running'`)
  return rows[0]?.id ?? null
}

/**
 * Writes an instance after an event: its row (inserted or updated), its tasks as inbox rows
 * (upserted by task key) and the users it copied. A second running instance for one record
 * breaks the partial unique index: 409.
 */
export async function saveInstance(
  ctx: Ctx,
  inst: ApprovalInstance,
  cc: { users: string[]; step: string }[],
): Promise<void> {
  const now = ctx.clock.now().toISOString()
  try {
    await ctx.db.query(sql`
      insert into flow_instances (id, flow, flow_version, transition, entity, record_id, submitter,
        status, data, started_at, ended_at, updated_at)
      values (${inst.id}::uuid, ${inst.flow}, ${inst.flowVersion}, ${inst.transition}, ${inst.entity},
        ${inst.recordId}::uuid, ${inst.submitter}::uuid, ${inst.status}, ${JSON.stringify(inst)}::jsonb,
        ${inst.startedAt}::timestamptz, ${inst.endedAt ?? null}::timestamptz, ${now}::timestamptz)
      on conflict (id) do update set status = excluded.status, data = excluded.data,
        ended_at = excluded.ended_at, updated_at = excluded.updated_at`)
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new ConflictError('This record already has a running approval', [
        { path: 'approval', message: 'is already running' },
      ])
    throw err
  }
  await saveTasks(ctx, inst)
  const rows = cc.flatMap((c) => c.users.map((user) => ({ user, step: c.step })))
  if (rows.length)
    await ctx.db.query(sql`
      insert into approval_cc (instance_id, user_id, step, created_at)
      select ${inst.id}::uuid, r.user_id, r.step, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ user_id: r.user, step: r.step })))}::jsonb)
        as r(user_id uuid, step text)
      on conflict do nothing`)
}

/** Upserts every task of the instance as an approval_tasks row (one statement). */
async function saveTasks(ctx: Ctx, inst: ApprovalInstance): Promise<void> {
  if (!inst.tasks.length) return
  const rows = inst.tasks.map((t: ApprovalTask) => ({
    task_key: t.id,
    step: t.step,
    assignee: t.assignee,
    owner: t.owner,
    delegated_from: t.delegatedFrom ?? null,
    status: t.status,
    created_at: t.createdAt,
    decided_at: t.decidedAt ?? null,
    decided_by: t.decidedBy ?? null,
    comment: t.comment ?? null,
  }))
  await ctx.db.query(sql`
    insert into approval_tasks (instance_id, task_key, entity, record_id, step, assignee, owner,
      delegated_from, status, created_at, decided_at, decided_by, comment)
    select ${inst.id}::uuid, r.task_key, ${inst.entity}, ${inst.recordId}::uuid, r.step, r.assignee,
      r.owner, r.delegated_from, r.status, r.created_at, r.decided_at, r.decided_by, r.comment
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(task_key text, step text,
      assignee uuid, owner uuid, delegated_from uuid, status text, created_at timestamptz,
      decided_at timestamptz, decided_by uuid, comment text)
    on conflict (instance_id, task_key) do update set step = excluded.step,
      assignee = excluded.assignee, owner = excluded.owner,
      delegated_from = excluded.delegated_from, status = excluded.status,
      decided_at = excluded.decided_at, decided_by = excluded.decided_by,
      comment = excluded.comment`)
}

/** The public ids of an instance's tasks by task key (links and notifications name them). */
export async function taskIds(ctx: Ctx, instanceId: string): Promise<Map<string, string>> {
  const rows = await ctx.db.query<{ task_key: string; id: string }>(sql`
    select task_key, id::text as id from approval_tasks where instance_id = ${instanceId}::uuid`)
  return new Map(rows.map((r) => [r.task_key, r.id]))
}
