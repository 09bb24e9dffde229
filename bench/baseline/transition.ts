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
 * `POST /api/data/benchRequest/:id/transitions/submit` written by hand: one transaction that
 * locks the row (`for update`, the submitter's manager read in the same statement), checks the
 * version, the from-state and the guard (amount > 0) in JS, then in one statement moves the
 * record to `submitted` (version + 1) and inserts the audit row, the `transition` outbox row and
 * the manager's pending task.
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
        o as (insert into outbox (entity, record_id, event, payload, user_id)
          select 'benchRequest', u.id, 'transition', jsonb_build_object('flow', 'benchApproval',
            'from', 'draft', 'to', 'submitted', 'action', 'submit', 'version', u.version), ${me}
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
