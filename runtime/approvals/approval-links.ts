import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../context'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors'
import { currentUserColumns, hashToken, toCurrentUser, type CurrentUserRow } from '../identity'
import { LINK_TTL_MS, newApprovalLink, type LinkAction } from '../flows/approval-link-rows'
import { entityPlan } from '../records'
import { actOnTask, type TaskActionResult } from './task-actions'
import { loadTask } from './task-row'

export { LINK_TTL_MS, type LinkAction }

/** The link was used already (each is single use). */
export class LinkUsedError extends ConflictError {
  override readonly code = 'LINK_USED'
}

/** The link is past its expiry. */
export class LinkExpiredError extends ConflictError {
  override readonly code = 'LINK_EXPIRED'
}

/** The record changed since the link was sent: the approver must look at it again. */
export class RecordChangedError extends ConflictError {
  override readonly code = 'RECORD_CHANGED'
}

/** A stored link. */
export interface LinkRow {
  task_id: string
  action: LinkAction
  user_id: string
  record_version: number
  expires_at: string | Date
  used_at: string | Date | null
}

/** The record's version, read as the system (the link is made for the assignee, not the caller). */
export async function recordVersion(ctx: Pick<Ctx, 'db' | 'meta'>, entity: string, id: string) {
  const plan = entityPlan(ctx.meta, entity)
  const rows = await ctx.db.query<{ version: number }>(
    sql`select version from ${plan.table} where id = ${id}::uuid`,
  )
  return rows.length ? Number(rows[0].version) : null
}

/**
 * Makes a signed single-use link for the assignee of a pending task to take `action` on it (the
 * approval mail and chat messages carry it): a random token, stored only as its hash, valid for
 * 7 days, refused once the record's version moves. Call it in the transaction that made the task.
 * @example const { token } = await createApprovalLink(ctx, taskId, 'approve') // → /approve/<token>
 */
export async function createApprovalLink(
  ctx: Pick<Ctx, 'db' | 'meta' | 'clock'>,
  taskId: string,
  action: LinkAction,
): Promise<{ token: string; expiresAt: string }> {
  const task = await loadTask(ctx, taskId)
  if (task.status !== 'pending') throw new ConflictError('Links are made for pending tasks only')
  const version = await recordVersion(ctx, task.entity, task.recordId)
  if (version === null) throw new NotFoundError(`The ${task.entity} of this task is gone`)
  const link = { taskId: task.id, action, userId: task.assignee, recordVersion: version }
  const { token, row } = newApprovalLink(link, ctx.clock.now())
  await ctx.db.query(sql`
    insert into approval_links (token_hash, task_id, action, user_id, record_version, expires_at)
    values (${row.token_hash}, ${row.task_id}::uuid, ${row.action}, ${row.user_id}::uuid,
      ${row.record_version}, ${row.expires_at}::timestamptz)`)
  return { token, expiresAt: row.expires_at }
}

/** The link stored under a token (404 when none; `lock`: for update). */
export async function findLink(
  ctx: Pick<Ctx, 'db'>,
  token: string,
  lock = false,
): Promise<LinkRow> {
  const rows =
    token.length >= 20 && token.length <= 100
      ? await ctx.db.query<LinkRow>(sql`
          select task_id::text as task_id, action, user_id::text as user_id, record_version,
            expires_at, used_at
          from approval_links where token_hash = ${hashToken(token)}
          ${lock ? sql`for update` : sql``}`)
      : []
  if (!rows.length)
    throw new NotFoundError('No such approval link', [{ path: 'token', message: 'unknown link' }])
  return rows[0]
}

/** The user a link acts as (403 once disabled). */
export async function linkUser(ctx: Pick<Ctx, 'db'>, id: string): Promise<CurrentUser> {
  const rows = await ctx.db.query<CurrentUserRow>(
    sql`select ${currentUserColumns} from users u where u.id = ${id}::uuid and not u.disabled`,
  )
  if (!rows.length) throw new ForbiddenError('The user this link was sent to is disabled')
  return toCurrentUser(rows[0])
}

/** Why a link cannot be used now (null: it can), record version checked. */
export function refusal(link: LinkRow, now: Date, version: number | null): ConflictError | null {
  if (link.used_at) return new LinkUsedError('This link was used already')
  if (new Date(link.expires_at).getTime() <= now.getTime())
    return new LinkExpiredError('This link has expired: open the approval in Trellis')
  if (version !== link.record_version)
    return new RecordChangedError(
      'The record changed since this link was sent: open it in Trellis',
      [
        {
          path: 'version',
          message: `sent at version ${link.record_version}, now ${version ?? 'gone'}`,
        },
      ],
    )
  return null
}

/** The answer of acting through a link: the task action's, with the action taken. */
export type LinkActionResult = TaskActionResult & { action: LinkAction }

/**
 * Takes the link's action as the task's assignee, once: the link is claimed in the same
 * transaction as the decision, so a refused action (422, 409) leaves it usable and two clicks
 * decide once. A used or expired link, or a record whose version moved, answers 409.
 */
export async function actOnApprovalLink(
  ctx: Ctx,
  token: string,
  body: Record<string, unknown>,
): Promise<LinkActionResult> {
  const unknown = Object.keys(body).find((k) => k !== 'comment')
  if (unknown)
    throw new ValidationError(`Unknown field '${unknown}'`, [
      { path: unknown, message: 'unknown field (allowed: comment)' },
    ])
  return ctx.db.transaction(async (db) => {
    const link = await findLink({ db }, token, true)
    const user = await linkUser({ db }, link.user_id)
    const acting: Ctx = { ...ctx, db, user }
    const task = await loadTask(acting, link.task_id)
    const version = await recordVersion(acting, task.entity, task.recordId)
    const refused = refusal(link, ctx.clock.now(), version)
    if (refused) throw refused
    await db.query(sql`update approval_links set used_at = ${ctx.clock.now().toISOString()}::timestamptz
      where token_hash = ${hashToken(token)}`)
    const done = await actOnTask(acting, task.id, link.action, body)
    return { ...done, action: link.action }
  })
}
