import { createHash, randomBytes } from 'node:crypto'
import type postgres from 'postgres'
import { callJson } from '../lib/api'
import type { BenchEnv } from './bench-env'

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })

/** The entity, flow and table the transition bench fires on (installed once per database). */
export const BENCH_ENTITY = 'benchRequest'
export const BENCH_FLOW = 'benchApproval'
export const BENCH_TABLE = 'app.bench_request'

/** The submitter (an administrator, so no scope check differs) and the manager who approves. */
export const SUBMITTER = 'bench_submitter'
export const APPROVER = 'bench_approver'

/**
 * A one-entity package: `submit` moves draft → approved through one manager step (pending:
 * submitted), guarded by `amount > 0`. No timeout, no CC: one task, nothing else scheduled.
 */
export const benchPackage = {
  manifest: { id: 'bench-flows', version: '1.0.0', label: label('Bench flows') },
  entities: [
    {
      id: BENCH_ENTITY,
      label: label('Bench request'),
      titleField: 'title',
      fields: [
        { name: 'title', type: 'text', label: label('Title'), required: true },
        { name: 'amount', type: 'decimal', label: label('Amount'), scale: 2 },
        {
          name: 'status',
          type: 'select',
          label: label('Status'),
          options: ['draft', 'submitted', 'approved', 'rejected'].map(opt),
          default: 'draft',
        },
      ],
    },
  ],
  flows: [
    {
      id: BENCH_FLOW,
      label: label('Bench approval'),
      entity: BENCH_ENTITY,
      stateField: 'status',
      states: [
        { id: 'draft', initial: true },
        { id: 'submitted', lock: { editable: [] } },
        { id: 'approved', final: true },
        { id: 'rejected' },
      ],
      transitions: [
        {
          id: 'submit',
          label: label('Submit'),
          from: ['draft'],
          to: 'approved',
          guard: { '>': [{ var: 'amount' }, 0] },
          approval: {
            pending: 'submitted',
            rejected: 'rejected',
            noApprover: 'admin',
            steps: [{ id: 'manager', label: label('Manager'), approvers: [{ manager: 1 }] }],
          },
        },
      ],
    },
  ],
}

/** Installs the bench package through Trellis' own API when its flow is not published yet. */
export async function ensureBenchPackage(env: BenchEnv): Promise<'installed' | 'present'> {
  if (!env.trellis) {
    const [t] = await env.sql`select to_regclass(${BENCH_TABLE}) as t`
    if (!t.t) throw new Error(`${BENCH_TABLE} is missing and Trellis is not running to install it`)
    return 'present'
  }
  const base = `${env.trellis.url}/api/meta`
  try {
    await callJson(`${base}/flows/${BENCH_FLOW}`, { token: env.token })
    return 'present'
  } catch (err) {
    if (!/→ 404/.test((err as Error).message)) throw err
  }
  await callJson(`${base}/packages?apply=true`, {
    method: 'POST',
    token: env.token,
    body: benchPackage,
  })
  return 'installed'
}

/**
 * The baseline's approval tables: instances (one running per record, by record, by submitter),
 * tasks (the columns of `approval_tasks` a single-step approval needs, with the same inbox index)
 * and notices (by user, newest first).
 */
export async function ensureBaselineTables(sql: postgres.Sql): Promise<void> {
  await sql`create schema if not exists bench`
  await sql`create table if not exists bench.approval_instance (
    id uuid primary key, flow text not null, flow_version int not null, entity text not null,
    record_id uuid not null, submitter uuid not null, status text not null, data jsonb not null,
    started_at timestamptz not null default now(), ended_at timestamptz)`
  await sql`create index if not exists approval_instance_record_idx
    on bench.approval_instance (entity, record_id)`
  await sql`create unique index if not exists approval_instance_running_key
    on bench.approval_instance (entity, record_id) where status = 'running'`
  await sql`create index if not exists approval_instance_submitter_idx
    on bench.approval_instance (submitter, started_at desc)`
  await sql`create table if not exists bench.approval_task (
    id uuid primary key default gen_random_uuid(),
    entity text not null, record_id uuid not null, step text not null,
    assignee uuid not null, submitter uuid not null, status text not null,
    created_at timestamptz not null default now(), decided_at timestamptz, comment text)`
  await sql`alter table bench.approval_task add column if not exists instance_id uuid
    references bench.approval_instance (id) on delete cascade`
  await sql`create index if not exists approval_task_assignee_idx
    on bench.approval_task (assignee, status, created_at desc)`
  await sql`create table if not exists bench.notification (
    id uuid primary key, user_id uuid not null, entity text, record_id uuid, title text not null,
    body text, created_at timestamptz not null default now(), read_at timestamptz)`
  await sql`create index if not exists notification_user_idx
    on bench.notification (user_id, created_at desc)`
}

/** Finished approvals each side's tables hold before the runs (`benchHistory` records). */
export const HISTORY_ROWS = 200_000

/**
 * Gives both sides' approval tables a history, as a database in use has: `HISTORY_ROWS`
 * finished instances with their decided task, notice and the approver's share of the record,
 * on records of another entity. With empty tables, plans made at a connection's first statement
 * (a scan of a one-page table) stay while the runs fill them, and every index is a few pages;
 * neither is what a production database shows.
 */
export async function ensureHistory(sql: postgres.Sql): Promise<void> {
  const [t] = await sql`select count(*)::int as n from flow_instances
    where entity = 'benchHistory'`
  if (t.n < HISTORY_ROWS) {
    await sql`delete from flow_instances where entity = 'benchHistory'`
    await sql`delete from notifications where entity = 'benchHistory'`
    await sql`with who as (select (select id from users where username = ${SUBMITTER}) as s,
        (select id from users where username = ${APPROVER}) as a),
      i as (insert into flow_instances (id, flow, flow_version, transition, entity, record_id,
          submitter, status, data, started_at, ended_at, updated_at)
        select trellis_uuid7(), 'benchHistory', 1, 'submit', 'benchHistory', gen_random_uuid(),
          who.s, 'approved', '{"history": []}', now() - n * interval '1 minute', now(), now()
        from who, generate_series(1, ${HISTORY_ROWS}::int) n
        returning id, record_id, started_at),
      t as (insert into approval_tasks (instance_id, task_key, entity, record_id, step, assignee,
          owner, status, created_at, decided_at, decided_by)
        select i.id, 't1', 'benchHistory', i.record_id, 'manager', who.a, who.a, 'approved',
          i.started_at, i.started_at, who.a from i, who)
      insert into notifications (user_id, entity, record_id, title, body, key, created_at)
      select who.a, 'benchHistory', i.record_id, 'History', 'History', 'bench-history:' || i.id,
        i.started_at from i, who`
    await sql`analyze flow_instances, approval_tasks, notifications`
  }
  // The approver's approval shares of those records, and of one request outside the pools
  // (they are shared anew in every run): an approver in use has approved requests before.
  const [h] = await sql`select count(*)::int as n from record_shares where entity = 'benchHistory'`
  if (h.n < HISTORY_ROWS) {
    await sql`insert into record_shares (entity, record_id, user_id, access, created_at, reason)
      select i.entity, i.record_id, a.id, 'read', i.started_at, 'approval'
      from flow_instances i, (select id from users where username = ${APPROVER}) a
      where i.entity = 'benchHistory'
      on conflict do nothing`
    await sql`analyze record_shares`
  }
  await sql`insert into record_shares (entity, record_id, user_id, access, reason)
    select ${BENCH_ENTITY}, md5('bench-transition-history')::uuid, id, 'read', 'approval'
    from users where username = ${APPROVER}
    on conflict do nothing`
  const [b] = await sql`select count(*)::int as n from bench.approval_instance
    where entity = 'benchHistory'`
  if (b.n < HISTORY_ROWS) {
    await sql`delete from bench.approval_instance where entity = 'benchHistory'`
    await sql`delete from bench.notification where entity = 'benchHistory'`
    await sql`with who as (select (select id from users where username = ${SUBMITTER}) as s,
        (select id from users where username = ${APPROVER}) as a),
      i as (insert into bench.approval_instance (id, flow, flow_version, entity, record_id,
          submitter, status, data, started_at, ended_at)
        select trellis_uuid7(), 'benchHistory', 1, 'benchHistory', gen_random_uuid(), who.s,
          'approved', '{"history": []}', now() - n * interval '1 minute', now()
        from who, generate_series(1, ${HISTORY_ROWS}::int) n
        returning id, record_id, started_at),
      t as (insert into bench.approval_task (id, instance_id, entity, record_id, step, assignee,
          submitter, status, created_at, decided_at)
        select trellis_uuid7(), i.id, 'benchHistory', i.record_id, 'manager', who.a, who.s,
          'approved', i.started_at, i.started_at from i, who)
      insert into bench.notification (id, user_id, entity, record_id, title, body, created_at)
      select trellis_uuid7(), who.a, 'benchHistory', i.record_id, 'History', 'History',
        i.started_at from i, who`
    await sql`analyze bench.approval_instance, bench.approval_task, bench.notification`
  }
}

/**
 * The submitter (administrator, managed by the approver) and a session token both servers accept
 * (sha-256 of a random token in `sessions`, the way Trellis stores them). Neither can sign in.
 */
export async function submitterToken(sql: postgres.Sql): Promise<string> {
  await sql`insert into users (username, display_name, password_hash)
    values (${APPROVER}, 'Bench approver', 'not-a-login') on conflict do nothing`
  await sql`insert into users (username, display_name, password_hash, is_admin)
    values (${SUBMITTER}, 'Bench submitter', 'not-a-login', true) on conflict do nothing`
  await sql`update users set manager_id = (select id from users where username = ${APPROVER})
    where username = ${SUBMITTER}`
  const token = randomBytes(32).toString('base64url')
  const hash = createHash('sha256').update(token).digest('hex')
  await sql`insert into sessions (token_hash, user_id, expires_at)
    select ${hash}, id, now() + interval '12 hours' from users where username = ${SUBMITTER}`
  return token
}

/** The ids of one side's records (title `<side> <n>`), in a fixed order. */
export async function poolIds(sql: postgres.Sql, side: string): Promise<string[]> {
  const rows = await sql`select id from ${sql.unsafe(BENCH_TABLE)}
    where title like ${`${side} %`} order by id`
  return rows.map((r) => String(r.id))
}

/** Adds records to one side's pool until it holds `size` (ids derived from side and number). */
export async function growPool(sql: postgres.Sql, side: string, size: number): Promise<void> {
  await sql`insert into ${sql.unsafe(BENCH_TABLE)} (id, title, amount, status)
    select md5(${`bench-transition-${side}-`} || n)::uuid, ${`${side} `} || n, 100 + n % 900, 'draft'
    from generate_series(1, ${size}::int) n
    on conflict (id) do nothing`
}

/**
 * Puts one side's records back in the from-state (draft, version 1) and drops what firing made:
 * Trellis' instances (their tasks and CC rows cascade), notices and the approver's shares, the
 * baseline's instances, tasks and notices.
 */
export async function resetPool(sql: postgres.Sql, side: string): Promise<void> {
  const mine = sql`(select id from ${sql.unsafe(BENCH_TABLE)} where title like ${`${side} %`})`
  await sql`delete from flow_instances where entity = ${BENCH_ENTITY} and record_id in ${mine}`
  await sql`delete from notifications where entity = ${BENCH_ENTITY} and record_id in ${mine}`
  // A first submission shares the record with its approver: without this, a record fired in an
  // earlier run found its share there and only probed for it. The deleted rows are vacuumed
  // away, as autovacuum would (the bench's server may run without it): production deletes few
  // shares, and a table of dead ones would slow every read of the approver's shares.
  await sql`delete from record_shares where entity = ${BENCH_ENTITY} and record_id in ${mine}`
  await sql`vacuum record_shares`
  // Tasks first, then instances with the foreign key's cascade trigger off: the reference's
  // tasks have no index on instance_id (it writes none), so the cascade would scan the task
  // table once per deleted instance, minutes for a run's few thousand.
  await sql`delete from bench.approval_task where record_id in ${mine}`
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`
    await tx`delete from bench.approval_instance where record_id in ${mine}`
  })
  await sql`delete from bench.notification where record_id in ${mine}`
  await sql`update ${sql.unsafe(BENCH_TABLE)} set status = 'draft', version = 1
    where title like ${`${side} %`} and (status <> 'draft' or version <> 1)`
}

/** Removes the audit and outbox rows the runs wrote (records and package stay for the next run). */
export async function cleanUpTransitions(sql: postgres.Sql): Promise<void> {
  for (const side of ['trellis', 'baseline', 'thin']) await resetPool(sql, side)
  await sql`delete from audit_log where entity = ${BENCH_ENTITY}`
  await sql`delete from outbox where entity = ${BENCH_ENTITY}`
}
