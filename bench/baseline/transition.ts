import { createHmac, randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import type postgres from 'postgres'
import type { BaselineEnv } from './auth'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Outcome =
  | { ok: postgres.Row }
  | { status: 403 | 404 | 409 | 422; code: string; path: string; extra?: object }

function refuse(c: Context, o: Exclude<Outcome, { ok: postgres.Row }>) {
  return c.json(
    { error: { code: o.code, message: o.code, details: [{ path: o.path }], ...o.extra } },
    o.status,
  )
}

/** The version the caller read: `If-Match` first, else the body's `version`. */
function expectedVersion(c: Context, body: Record<string, unknown>): number {
  const header = c.req.header('if-match')
  return Number(header !== undefined ? header.replace(/"/g, '') : body.version)
}

/**
 * The thin reference (`POST /api/thin/benchRequest/:id/transitions/submit`): one transaction that
 * locks the row (`for update`, the submitter's manager read in the same statement), checks the
 * version, the from-state and the guard (amount > 0) in JS, then in one statement moves the
 * record to `submitted` (version + 1) and inserts the audit row, the `transition` outbox row and
 * the manager's pending task. Its outbox rows, like Trellis' for an event no handler wants, are
 * written delivered: undelivered, Trellis' relay (sharing the table) would read and mark them
 * during this side's runs.
 */
export function baselineTransition(sql: postgres.Sql) {
  return async (c: Context<BaselineEnv>) => {
    const id = c.req.param('id') ?? ''
    if (!UUID.test(id) || c.req.param('transition') !== 'submit')
      return refuse(c, { status: 404, code: 'not_found', path: 'transition' })
    const body = ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>
    const version = expectedVersion(c, body)
    if (!Number.isInteger(version) || version < 1)
      return refuse(c, { status: 422, code: 'validation_failed', path: 'version' })
    const comment = typeof body.comment === 'string' ? body.comment : null
    const me = c.get('user').id
    const outcome = await sql.begin(async (tx): Promise<Outcome> => {
      const [row] = await tx`
        select r.id, r.version, r.status, r.amount,
          (select manager_id from users where id = ${me} and not disabled) as manager
        from app.bench_request r where r.id = ${id} for update of r`
      if (!row) return { status: 404, code: 'not_found', path: 'id' }
      if (row.version !== version)
        return {
          status: 409,
          code: 'conflict',
          path: 'version',
          extra: { currentVersion: row.version },
        }
      if (row.status !== 'draft') return { status: 409, code: 'conflict', path: 'status' }
      if (!(Number(row.amount) > 0)) return { status: 403, code: 'forbidden', path: 'guard' }
      if (!row.manager) return { status: 422, code: 'no_approver', path: 'manager' }
      const changes = JSON.stringify({ status: { before: 'draft', after: 'submitted' } })
      const [done] = await tx`
        with u as (update app.bench_request set status = 'submitted', version = version + 1,
            updated_at = now(), updated_by = ${me}
          where id = ${id} returning *),
        a as (insert into audit_log (entity, record_id, action, user_id, changes, version)
          select 'benchRequest', u.id, 'updated', ${me}, ${changes}::jsonb, u.version from u),
        o as (insert into outbox (entity, record_id, event, payload, user_id, delivered_at)
          select 'benchRequest', u.id, 'transition', jsonb_build_object('flow', 'benchApproval',
            'from', 'draft', 'to', 'submitted', 'action', 'submit', 'version', u.version), ${me},
            now()
          from u),
        t as (insert into bench.approval_task (entity, record_id, step, assignee, submitter,
            status, comment)
          select 'benchRequest', u.id, 'manager', ${row.manager}, ${me}, 'pending', ${comment}
          from u returning id)
        select u.*, (select id from t) as task_id from u`
      return { ok: done }
    })
    if (!('ok' in outcome)) return refuse(c, outcome)
    const { taskId, ...record } = outcome.ok
    c.header('ETag', `"${record.version}"`)
    return c.json({ record, approval: { id: taskId, status: 'running' } })
  }
}

/** An id whose first 48 bits are the time in ms (UUID version 7's layout), like Trellis' ids. */
export function uuid7(): string {
  const b = randomBytes(16)
  const ms = Date.now()
  b.writeUIntBE(ms, 0, 6)
  b[6] = 0x70 | (b[6] & 0x0f)
  b[8] = 0x80 | (b[8] & 0x3f)
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The approver's notice, in the approver's language. */
const NOTICE: Record<string, { title: (t: string) => string; approve: string; reject: string }> = {
  en: { title: (t) => `${t} awaits your approval`, approve: 'Approve', reject: 'Reject' },
  'zh-CN': { title: (t) => `${t} 等待您审批`, approve: '同意', reject: '驳回' },
  ko: { title: (t) => `${t} 승인을 기다리고 있습니다`, approve: '승인', reject: '반려' },
}

/** A single-use approve / reject link: task id, record version and action, signed (HMAC-SHA256). */
function signedLink(secret: Buffer, taskId: string, version: number, action: 'a' | 'r'): string {
  const payload = `${taskId}.${version}.${action}`
  const mac = createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22)
  return `/api/approval-links/${Buffer.from(payload).toString('base64url')}.${mac}`
}

/**
 * The reference target 5 is measured against: `POST /api/data/benchRequest/:id/transitions/submit`
 * written by hand doing what approvals.md asks of a submission, in one transaction. It locks the
 * row (reading the submitter's manager and the manager's language in the same statement), checks
 * the version, the from-state and the guard (amount > 0) in JS, then in one statement moves the
 * record to `submitted` (version + 1), and inserts the audit row, the `transition` outbox row,
 * the approval instance (flow version, the record's snapshot at submission, the history's first
 * entry; one running instance per record), the manager's pending task and the manager's notice
 * with signed approve and reject links. Ids are time-ordered, like Trellis'. The outbox row is
 * written delivered, as the thin reference's.
 */
export function baselineApprovalTransition(sql: postgres.Sql, secret: Buffer) {
  return async (c: Context<BaselineEnv>) => {
    const id = c.req.param('id') ?? ''
    if (!UUID.test(id) || c.req.param('transition') !== 'submit')
      return refuse(c, { status: 404, code: 'not_found', path: 'transition' })
    const body = ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>
    const version = expectedVersion(c, body)
    if (!Number.isInteger(version) || version < 1)
      return refuse(c, { status: 422, code: 'validation_failed', path: 'version' })
    const comment = typeof body.comment === 'string' ? body.comment : null
    const me = c.get('user').id
    const outcome = await sql.begin(async (tx): Promise<Outcome> => {
      const [row] = await tx`
        select r.*, m.id as manager, m.locale as manager_locale
        from app.bench_request r
        left join users s on s.id = ${me} and not s.disabled
        left join users m on m.id = s.manager_id and not m.disabled
        where r.id = ${id} for update of r`
      if (!row) return { status: 404, code: 'not_found', path: 'id' }
      if (row.version !== version)
        return {
          status: 409,
          code: 'conflict',
          path: 'version',
          extra: { currentVersion: row.version },
        }
      if (row.status !== 'draft') return { status: 409, code: 'conflict', path: 'status' }
      if (!(Number(row.amount) > 0)) return { status: 403, code: 'forbidden', path: 'guard' }
      if (!row.manager) return { status: 422, code: 'no_approver', path: 'manager' }
      const { manager, managerLocale, ...snapshot } = row
      const at = new Date().toISOString()
      const instanceId = uuid7()
      const taskId = uuid7()
      const next = version + 1
      const data = JSON.stringify({
        snapshot,
        history: [{ at, by: me, action: 'submit', comment }],
        tasks: [{ id: taskId, step: 'manager', assignee: manager, status: 'pending' }],
      })
      const words = NOTICE[String(managerLocale)] ?? NOTICE.en
      const noticeBody = [
        `${words.approve}: ${signedLink(secret, taskId, next, 'a')}`,
        `${words.reject}: ${signedLink(secret, taskId, next, 'r')}`,
      ].join('\n')
      const changes = JSON.stringify({ status: { before: 'draft', after: 'submitted' } })
      const [done] = await tx`
        with u as (update app.bench_request set status = 'submitted', version = version + 1,
            updated_at = now(), updated_by = ${me}
          where id = ${id} returning *),
        a as (insert into audit_log (entity, record_id, action, user_id, changes, version)
          select 'benchRequest', u.id, 'updated', ${me}, ${changes}::jsonb, u.version from u),
        o as (insert into outbox (entity, record_id, event, payload, user_id, delivered_at)
          select 'benchRequest', u.id, 'transition', jsonb_build_object('flow', 'benchApproval',
            'from', 'draft', 'to', 'submitted', 'action', 'submit', 'version', u.version), ${me},
            now()
          from u),
        i as (insert into bench.approval_instance (id, flow, flow_version, entity, record_id,
            submitter, status, data)
          select ${instanceId}, 'benchApproval', 1, 'benchRequest', u.id, ${me}, 'running',
            ${data}::jsonb
          from u returning id),
        t as (insert into bench.approval_task (id, instance_id, entity, record_id, step, assignee,
            submitter, status, comment)
          select ${taskId}, i.id, 'benchRequest', ${id}, 'manager', ${manager}, ${me}, 'pending',
            ${comment}
          from i returning id),
        n as (insert into bench.notification (id, user_id, entity, record_id, title, body)
          select ${uuid7()}, ${manager}, 'benchRequest', ${id}, ${words.title(String(row.title))},
            ${noticeBody}
          from t)
        select u.*, (select id from t) as task_id, (select id from i) as instance_id from u`
      return { ok: done }
    })
    if (!('ok' in outcome)) return refuse(c, outcome)
    const { taskId, instanceId, ...record } = outcome.ok
    c.header('ETag', `"${record.version}"`)
    return c.json({ record, approval: { id: instanceId, status: 'running' }, task: taskId })
  }
}
