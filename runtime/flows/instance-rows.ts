import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ConflictError, NotFoundError } from '../errors'
import { IDENTITY_CHANNEL } from '../identity'
import type { ApprovalInstance, ApprovalTask } from './approval-instance'
import { APPROVAL_SHARE_REASON } from './approval-shares'

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

/** A statement run as a named CTE of the instance's write. */
export interface NamedStatement {
  name: string
  sql: SQL
  /** Its rows' `user_id`s were sent notifications: answered in `SavedInstance.noticed`. */
  noticed?: boolean
}

/** What saving an instance answers. */
export interface SavedInstance {
  /** The public ids of the instance's tasks, by task key (links and notices name them). */
  taskIds: Map<string, string>
  /** Users shared a record of this entity for the first time (their cached sessions must learn it). */
  firstShares: string[]
  /** Users the write stored notifications for (from the `noticed` statements), to announce. */
  noticed: string[]
}

/**
 * Writes an instance after an event, in one statement: its row (inserted or updated), its tasks
 * as inbox rows (upserted by task key), the users it copied, and a read share of the record for
 * `shareWith` (reason 'approval'; an existing share is kept as it is). A user who had no share of
 * the entity before is announced on the identity channel (at commit) so every process reloads
 * their session's shared entities. A second running instance for one record breaks the partial
 * unique index: 409. `more`: further statements for the same round trip, as named CTEs (each
 * returns rows, which are counted so that every one runs); they may read `tasks` (task_key, id:
 * every task of the instance, upserted).
 */
export async function saveInstance(
  ctx: Ctx,
  inst: ApprovalInstance,
  cc: { users: string[]; step: string }[],
  shareWith: string[],
  more: NamedStatement[] = [],
): Promise<SavedInstance> {
  const now = ctx.clock.now().toISOString()
  const ccRows = cc.flatMap((c) => c.users.map((user) => ({ user_id: user, step: c.step })))
  const noticed = more.filter((part) => part.noticed)
  let rows: {
    tasks: { k: string; id: string }[] | string | null
    first: string[] | null
    noticed: string[] | null
  }[]
  try {
    rows = await ctx.db.query(sql`
      with saved as (
        insert into flow_instances (id, flow, flow_version, transition, entity, record_id,
          submitter, status, data, started_at, ended_at, updated_at)
        values (${inst.id}::uuid, ${inst.flow}, ${inst.flowVersion}, ${inst.transition},
          ${inst.entity}, ${inst.recordId}::uuid, ${inst.submitter}::uuid, ${inst.status},
          ${JSON.stringify(inst)}::jsonb, ${inst.startedAt}::timestamptz,
          ${inst.endedAt ?? null}::timestamptz, ${now}::timestamptz)
        on conflict (id) do update set status = excluded.status, data = excluded.data,
          ended_at = excluded.ended_at, updated_at = excluded.updated_at
        returning id),
      tasks as (${tasksUpsert(inst)}),
      copied as (
        insert into approval_cc (instance_id, user_id, step, created_at)
        select ${inst.id}::uuid, r.user_id, r.step, ${now}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(ccRows)}::jsonb) as r(user_id uuid, step text)
        on conflict do nothing
        returning 1),
      wanted as (
        select u.id from users u
        where u.id in (select (jsonb_array_elements_text(${JSON.stringify(shareWith)}::jsonb))::uuid)),
      prior as (
        select w.id as user_id from wanted w
        where exists (select 1 from record_shares s
          where s.user_id = w.id and s.entity = ${inst.entity})),
      shared as (
        insert into record_shares (entity, record_id, user_id, access, created_at, reason)
        select ${inst.entity}, ${inst.recordId}::uuid, w.id, 'read', ${now}::timestamptz,
          ${APPROVAL_SHARE_REASON}
        from wanted w
        on conflict (entity, record_id, user_id) where user_id is not null do nothing
        returning user_id),
      newcomers as (select user_id from shared where user_id not in (select user_id from prior)),
      told as (
        select pg_notify(${IDENTITY_CHANNEL}, json_build_object('userId', user_id::text)::text)
        from newcomers)${sql.join(
          more.map((part) => sql`, ${sql.identifier(part.name)} as (${part.sql})`),
          sql``,
        )}
      select (select json_agg(json_build_object('k', task_key, 'id', id)) from tasks) as tasks,
        array(select user_id::text from newcomers) as first,
        array(${
          noticed.length
            ? sql.join(
                noticed.map((part) => sql`select user_id::text from ${sql.identifier(part.name)}`),
                sql` union `,
              )
            : sql`select null::text where false`
        }) as noticed,
        (select count(*) from told) + (select count(*) from copied) + (select count(*) from saved)
          ${sql.join(
            more.map((part) => sql` + (select count(*) from ${sql.identifier(part.name)})`),
            sql``,
          )} as n`)
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new ConflictError('This record already has a running approval', [
        { path: 'approval', message: 'is already running' },
      ])
    throw err
  }
  const tasks = rows[0]?.tasks
  const list = (typeof tasks === 'string' ? JSON.parse(tasks) : (tasks ?? [])) as {
    k: string
    id: string
  }[]
  return {
    taskIds: new Map(list.map((t) => [t.k, t.id])),
    firstShares: rows[0]?.first ?? [],
    noticed: rows[0]?.noticed ?? [],
  }
}

/** Upserts every task of the instance as an approval_tasks row, answering key and public id. */
function tasksUpsert(inst: ApprovalInstance) {
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
  return sql`
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
      comment = excluded.comment
    returning task_key, id::text as id`
}
