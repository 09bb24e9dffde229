import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { NotFoundError, UnauthorizedError, ValidationError } from '../errors'

/** An approval task as the API looks it up by its public id. */
export interface TaskRow {
  id: string
  instanceId: string
  taskKey: string
  entity: string
  recordId: string
  step: string
  assignee: string
  owner: string
  status: string
  decidedBy: string | null
  instanceStatus: string
  submitter: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The 404 for a task id that names no task. */
export function taskNotFound(id: string): NotFoundError {
  return new NotFoundError(`No task '${id}'`, [{ path: 'id', message: 'no such task' }])
}

/** The caller's id, or 401 (runtime functions of this folder need a caller). */
export function callerId(ctx: Pick<Ctx, 'user'>): string {
  if (!ctx.user) throw new UnauthorizedError('Sign in first')
  return ctx.user.id
}

/** One task with its instance's status and submitter, or 404. */
export async function loadTask(ctx: Pick<Ctx, 'db'>, id: string): Promise<TaskRow> {
  if (!UUID.test(id)) throw taskNotFound(id)
  const rows = await ctx.db.query<Record<string, string | null>>(sql`
    select t.id::text as id, t.instance_id::text as instance_id, t.task_key, t.entity,
      t.record_id::text as record_id, t.step, t.assignee::text as assignee, t.owner::text as owner,
      t.status, t.decided_by::text as decided_by, i.status as instance_status,
      i.submitter::text as submitter
    from approval_tasks t join flow_instances i on i.id = t.instance_id
    where t.id = ${id}::uuid`)
  const row = rows[0]
  if (!row) throw taskNotFound(id)
  return {
    id: row.id!,
    instanceId: row.instance_id!,
    taskKey: row.task_key!,
    entity: row.entity!,
    recordId: row.record_id!,
    step: row.step!,
    assignee: row.assignee!,
    owner: row.owner!,
    status: row.status!,
    decidedBy: row.decided_by,
    instanceStatus: row.instance_status!,
    submitter: row.submitter!,
  }
}

/** 422 naming `path` unless every id is an active user. */
export async function assertActiveUsers(
  ctx: Pick<Ctx, 'db'>,
  ids: string[],
  path: string,
): Promise<void> {
  if (!ids.length) return
  const rows = await ctx.db.query<{ id: string }>(sql`
    select id::text as id from users
    where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) and not disabled`)
  const found = new Set(rows.map((r) => r.id))
  const missing = ids.findIndex((id) => !found.has(id))
  if (missing >= 0) {
    const at = ids.length > 1 || path === 'users' ? `${path}[${missing}]` : path
    throw new ValidationError(`'${at}' is not an active user`, [
      { path: at, message: 'no active user with this id' },
    ])
  }
}
