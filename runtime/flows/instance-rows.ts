import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { StatementTemplate, type CarriedUpdate, type SlotFn } from '../records'
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

/**
 * A statement run as a named CTE of the instance's write. Built once per shape with its per-call
 * values in slots (`v(i)` stands for `values[i]`): one name, one build, one count of values.
 */
export interface NamedStatement {
  name: string
  build: (v: SlotFn) => SQL
  values: unknown[]
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
  /** The row of the record update the write carried (its columns; a null id when it missed). */
  updated?: Record<string, unknown>
}

/** The instance's own values, in the first slots of every write's template (see `instanceWrite`). */
const SLOTS = 13

/** The values of one task's approval_tasks row, in the order `tasksUpsert` reads them. */
const TASK_SLOTS = 10

/** The instance writes built so far, by shape (see `instanceWrite`). */
const writes = new Map<string, StatementTemplate>()

/** The columns the write answers besides the carried update's (named apart from any field's). */
interface WriteRow {
  __tasks: { k: string; id: string }[] | string | null
  __first: string[] | null
  __noticed: string[] | null
  [column: string]: unknown
}

/**
 * Writes an instance after an event, in one statement: its row (inserted or updated), its tasks
 * as inbox rows (upserted by task key), the users it copied, and a read share of the record for
 * `shareWith` (reason 'approval'; an existing share is kept as it is). A user who had no share of
 * the entity before is announced on the identity channel (at commit) so every process reloads
 * their session's shared entities. A second running instance for one record breaks the partial
 * unique index: 409. `more`: further statements for the same round trip, as named CTEs (each
 * returns rows, which are counted so that every one runs); they may read `tasks` (task_key, id:
 * every task of the instance, upserted). `carried`: the record's update, written by the same
 * statement (answered as `updated`; its failure answers the update's error). `started`: the
 * instance is new (its id was made for this event), so its row and its tasks are plainly
 * inserted instead of upserted: an upsert probes the key's index before inserting, and a new
 * id has nothing to find there.
 */
export async function saveInstance(
  ctx: Ctx,
  inst: ApprovalInstance,
  cc: { users: string[]; step: string }[],
  shareWith: string[],
  more: NamedStatement[] = [],
  carried?: CarriedUpdate,
  started = false,
): Promise<SavedInstance> {
  const now = ctx.clock.now().toISOString()
  const ccRows = cc.flatMap((c) => c.users.map((user) => ({ user_id: user, step: c.step })))
  const values: unknown[] = [
    inst.id,
    inst.flow,
    inst.flowVersion,
    inst.transition,
    inst.entity,
    inst.recordId,
    inst.submitter,
    inst.status,
    JSON.stringify(inst),
    inst.startedAt,
    inst.endedAt ?? null,
    now,
    JSON.stringify(ccRows),
  ]
  for (const task of inst.tasks) values.push(...taskValues(task))
  values.push(...shareWith)
  for (const part of more) values.push(...part.values)
  if (carried) values.push(...carried.values)
  const shape = {
    started,
    tasks: inst.tasks.length,
    copies: ccRows.length > 0,
    shares: shareWith.length,
  }
  let rows: WriteRow[]
  try {
    rows = await ctx.db.query(instanceWrite(shape, more, carried).bind(values))
  } catch (err) {
    throw writeError(err, carried)
  }
  const row = rows[0]
  const tasks = row?.__tasks
  const list = (typeof tasks === 'string' ? JSON.parse(tasks) : (tasks ?? [])) as {
    k: string
    id: string
  }[]
  return {
    taskIds: new Map(list.map((t) => [t.k, t.id])),
    firstShares: row?.__first ?? [],
    noticed: row?.__noticed ?? [],
    updated: carried ? row : undefined,
  }
}

/**
 * What a failed instance write answers: a second running instance for the record → 409; a
 * failure of a carried record update (an error naming no other table) → the update's error.
 */
function writeError(err: unknown, carried?: CarriedUpdate): unknown {
  // postgres.js names the table `table_name`, PGlite `table`.
  const pg = err as { code?: string; table_name?: string; table?: string }
  const table = pg.table_name ?? pg.table
  if (carried && !(table && INSTANCE_TABLES.has(table))) return carried.toError(err)
  if (pg.code === '23505')
    return new ConflictError('This record already has a running approval', [
      { path: 'approval', message: 'is already running' },
    ])
  return err
}

/** The tables an instance's write names besides a carried update's. */
const INSTANCE_TABLES = new Set([
  'flow_instances',
  'approval_tasks',
  'approval_cc',
  'record_shares',
  'users',
  'outbox',
  'notifications',
])

/** What an instance's write holds, for its template: new or not, tasks, copied users or not, shares. */
interface WriteShape {
  started: boolean
  tasks: number
  copies: boolean
  shares: number
}

/**
 * The template of an instance's write for one shape: the instance's values in slots 0 to
 * SLOTS - 1 (see saveInstance), then each task's TASK_SLOTS, each shared user's id, each further
 * statement's values, in order, then the carried update's. The copied users' and the shares'
 * parts are left out when there are none: a statement opens and locks every table it names,
 * with its indexes, even for no rows. Whether a user had a share of the entity before asks the
 * recipient key in its own order (ORDER BY … LIMIT 1): the write runs on a generic plan, and for
 * one approver holding most of the table's shares, a plain EXISTS was planned as a sequential
 * scan that expected its first match at once and read 200,000 rows of another entity instead.
 * Rows come as VALUES lists (one template per count), so the planner knows how many there are:
 * it looks users up by key instead of scanning them all for a list of unknown length. A write
 * carrying an update is cached with the update's entity plan (it names its columns).
 */
function instanceWrite(
  shape: WriteShape,
  more: NamedStatement[],
  carried?: CarriedUpdate,
): StatementTemplate {
  const key = `${shape.started ? 'new:' : ''}${shape.tasks}${shape.copies ? 'c' : ''}s${shape.shares}:${more.map((m) => `${m.name}/${m.values.length}${m.noticed ? '!' : ''}`).join(',')}`
  if (carried)
    return carried.template(`instance:${key}|${carried.key}`, (v) =>
      instanceSql(shape, more, v, carried),
    )
  let template = writes.get(key)
  if (template) return template
  template = new StatementTemplate((v) => instanceSql(shape, more, v))
  if (writes.size < 200) writes.set(key, template)
  return template
}

/** The SQL of an instance's write (see `instanceWrite`). */
function instanceSql(
  shape: WriteShape,
  more: NamedStatement[],
  v: SlotFn,
  carried?: CarriedUpdate,
): SQL {
  const taskSlots = SLOTS
  let slot = taskSlots + shape.tasks * TASK_SLOTS
  const sharers = Array.from({ length: shape.shares }, (_, i) => v(slot + i))
  slot += shape.shares
  const parts: SQL[] = [
    sql`saved as (
        insert into flow_instances (id, flow, flow_version, transition, entity, record_id,
          submitter, status, data, started_at, ended_at, updated_at)
        values (${v(0)}::uuid, ${v(1)}, ${v(2)}, ${v(3)}, ${v(4)}, ${v(5)}::uuid, ${v(6)}::uuid,
          ${v(7)}, ${v(8)}::jsonb, ${v(9)}::timestamptz, ${v(10)}::timestamptz,
          ${v(11)}::timestamptz)
        ${shape.started ? sql`` : INSTANCE_CONFLICT}
        returning id)`,
  ]
  if (shape.tasks)
    parts.push(sql`tasks as (${tasksUpsert(v, taskSlots, shape.tasks, shape.started)})`)
  else parts.push(sql`tasks as (select null::text as task_key, null::text as id where false)`)
  const counted: SQL[] = [sql`(select count(*) from saved)`]
  if (shape.copies) {
    parts.push(sql`copied as (
        insert into approval_cc (instance_id, user_id, step, created_at)
        select ${v(0)}::uuid, r.user_id, r.step, ${v(11)}::timestamptz
        from jsonb_to_recordset(${v(12)}::jsonb) as r(user_id uuid, step text)
        on conflict do nothing
        returning 1)`)
    counted.push(sql`(select count(*) from copied)`)
  }
  if (shape.shares) {
    parts.push(sql`wanted as (
        select u.id from users u
        where u.id in (${sql.join(
          sharers.map((s) => sql`${s}::uuid`),
          sql`, `,
        )})),
      prior as (
        select w.id as user_id from wanted w
        where (select true from record_shares s
          where s.user_id = w.id and s.entity = ${v(4)}
          order by s.user_id, s.entity, s.record_id limit 1)),
      shared as (
        insert into record_shares (entity, record_id, user_id, access, created_at, reason)
        select ${v(4)}, ${v(5)}::uuid, w.id, 'read', ${v(11)}::timestamptz,
          ${APPROVAL_SHARE_REASON}
        from wanted w
        on conflict (entity, record_id, user_id) where user_id is not null do nothing
        returning user_id),
      newcomers as (select user_id from shared where user_id not in (select user_id from prior)),
      told as (
        select pg_notify(${IDENTITY_CHANNEL}, json_build_object('userId', user_id::text)::text)
        from newcomers)`)
    counted.push(sql`(select count(*) from told)`)
  }
  for (const part of more) {
    const first = slot
    parts.push(sql`${sql.identifier(part.name)} as (${part.build((i) => v(first + i))})`)
    counted.push(sql`(select count(*) from ${sql.identifier(part.name)})`)
    slot += part.values.length
  }
  const noticed = more.filter((part) => part.noticed)
  const noticedUsers = noticed.length
    ? sql.join(
        noticed.map((part) => sql`select user_id::text from ${sql.identifier(part.name)}`),
        sql` union `,
      )
    : sql`select null::text where false`
  const answer = sql`(select json_agg(json_build_object('k', task_key, 'id', id)) from tasks) as "__tasks",
        ${shape.shares ? sql`array(select user_id::text from newcomers)` : sql`array[]::text[]`} as "__first",
        array(${noticedUsers}) as "__noticed",
        ${sql.join(counted, sql` + `)} as "__n"`
  if (!carried) return sql`with ${sql.join(parts, sql`, `)} select ${answer}`
  // The update's CTEs come first (a data-modifying WITH must sit at the top level); its row, or
  // nulls when it missed, is answered beside the instance's columns.
  const first = slot
  const update = carried.build((i) => v(first + i))
  return sql`with ${update}, ${sql.join(parts, sql`, `)}
      select upd.*, ${answer} from (select 1) as one left join upd on true`
}

/** An existing instance's row is rewritten by id. */
const INSTANCE_CONFLICT = sql`on conflict (id) do update set status = excluded.status,
  data = excluded.data, ended_at = excluded.ended_at, updated_at = excluded.updated_at`

/** An existing instance's tasks are rewritten by key. */
const TASKS_CONFLICT = sql`on conflict (instance_id, task_key) do update set step = excluded.step,
      assignee = excluded.assignee, owner = excluded.owner,
      delegated_from = excluded.delegated_from, status = excluded.status,
      decided_at = excluded.decided_at, decided_by = excluded.decided_by,
      comment = excluded.comment`

/** One task's approval_tasks values, in the order `tasksUpsert` reads them (TASK_SLOTS). */
function taskValues(t: ApprovalTask): unknown[] {
  return [
    t.id,
    t.step,
    t.assignee,
    t.owner,
    t.delegatedFrom ?? null,
    t.status,
    t.createdAt,
    t.decidedAt ?? null,
    t.decidedBy ?? null,
    t.comment ?? null,
  ]
}

/**
 * Upserts every task of the instance (`count` tasks of TASK_SLOTS values from slot `first`) as
 * approval_tasks rows, answering key and public id; inserts them when the instance is `started`.
 */
function tasksUpsert(v: SlotFn, first: number, count: number, started: boolean) {
  const rows = Array.from({ length: count }, (_, i) => {
    const at = (k: number) => v(first + i * TASK_SLOTS + k)
    return sql`(${v(0)}::uuid, ${at(0)}::text, ${v(4)}::text, ${v(5)}::uuid, ${at(1)}::text,
      ${at(2)}::uuid, ${at(3)}::uuid, ${at(4)}::uuid, ${at(5)}::text, ${at(6)}::timestamptz,
      ${at(7)}::timestamptz, ${at(8)}::uuid, ${at(9)}::text)`
  })
  return sql`
    insert into approval_tasks (instance_id, task_key, entity, record_id, step, assignee, owner,
      delegated_from, status, created_at, decided_at, decided_by, comment)
    values ${sql.join(rows, sql`, `)}
    ${started ? sql`` : TASKS_CONFLICT}
    returning task_key, id::text as id`
}
