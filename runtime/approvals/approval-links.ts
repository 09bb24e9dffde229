import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../context'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors'
import { currentUserColumns, hashToken, toCurrentUser, type CurrentUserRow } from '../identity'
import {
  approvalLinkKey,
  LINK_TTL_MS,
  readApprovalLink,
  signApprovalLink,
  type LinkAction,
  type LinkClaims,
} from '../flows/approval-link-tokens'
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

/** A link, read from its token, with the task it names and when it was used (if it was). */
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
 * approval mail and chat messages carry it): valid for 7 days, refused once the record's version
 * moves, once the task is no longer the assignee's or once used. Nothing is stored.
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
  // Tokens carry whole seconds.
  const expiresAt = new Date(Math.floor((ctx.clock.now().getTime() + LINK_TTL_MS) / 1000) * 1000)
  const claims: LinkClaims = {
    instanceId: task.instanceId,
    taskKey: task.taskKey,
    action,
    userId: task.assignee,
    recordVersion: version,
    expiresAt,
  }
  return {
    token: signApprovalLink(await approvalLinkKey(ctx), claims),
    expiresAt: expiresAt.toISOString(),
  }
}

const unknownLink = () =>
  new NotFoundError('No such approval link', [{ path: 'token', message: 'unknown link' }])

/** The link a token carries, with its task and use (404 for a token not signed here). */
export async function findLink(ctx: Pick<Ctx, 'db'>, token: string): Promise<LinkRow> {
  const claims = readApprovalLink(await approvalLinkKey(ctx), token)
  if (!claims) throw unknownLink()
  const rows = await ctx.db.query<{ task_id: string; used_at: string | Date | null }>(sql`
    select t.id::text as task_id,
      (select l.used_at from approval_links l where l.token_hash = ${hashToken(token)}) as used_at
    from approval_tasks t
    where t.instance_id = ${claims.instanceId}::uuid and t.task_key = ${claims.taskKey}`)
  if (!rows.length) throw unknownLink()
  return {
    task_id: rows[0].task_id,
    action: claims.action,
    user_id: claims.userId,
    record_version: claims.recordVersion,
    expires_at: claims.expiresAt,
    used_at: rows[0].used_at,
  }
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
 * Takes the link's action as the task's assignee, once: the link's use is stored in the same
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
    const link = await findLink({ db }, token)
    const user = await linkUser({ db }, link.user_id)
    const acting: Ctx = { ...ctx, db, user }
    const task = await loadTask(acting, link.task_id)
    const version = await recordVersion(acting, task.entity, task.recordId)
    const refused = refusal(link, ctx.clock.now(), version)
    if (refused) throw refused
    // The use is claimed first: a second click waits here for the first one's transaction and,
    // once that committed, finds the link used.
    const claimed = await db.query(sql`
      insert into approval_links (token_hash, task_id, action, user_id, record_version,
        expires_at, used_at)
      values (${hashToken(token)}, ${task.id}::uuid, ${link.action}, ${link.user_id}::uuid,
        ${link.record_version}, ${new Date(link.expires_at).toISOString()}::timestamptz,
        ${ctx.clock.now().toISOString()}::timestamptz)
      on conflict (token_hash) do nothing
      returning 1`)
    if (!claimed.length) throw new LinkUsedError('This link was used already')
    const done = await actOnTask(acting, task.id, link.action, body)
    return { ...done, action: link.action }
  })
}
