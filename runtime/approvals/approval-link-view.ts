import { toLabel, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { findLink, linkUser, recordVersion, refusal, type LinkAction } from './approval-links'
import { approvalOf, stepLabel } from './approval-steps'
import { instanceFlow } from './instance-flow'
import { instanceHead } from './instance-rows'
import { readableVersion } from './record-reach'
import { loadTask } from './task-row'
import { userNames, type UserRef } from './user-names'
import { sql } from 'drizzle-orm'
import { entityPlan } from '../records'
import { hiddenFields } from '../permissions'

/** What a link would do, shown before the approver confirms. */
export interface ApprovalLinkView {
  action: LinkAction
  /** Whether acting would be accepted now (else `reason` says why). */
  usable: boolean
  reason: 'used' | 'expired' | 'changed' | 'decided' | null
  commentRequired: boolean
  expiresAt: string
  assignee: UserRef
  task: { id: string; status: string; step: string; stepLabel: string | null }
  record: { entity: string; entityLabel: string; id: string; title: string | null }
}

const REASONS: Record<string, ApprovalLinkView['reason']> = {
  LINK_USED: 'used',
  LINK_EXPIRED: 'expired',
  RECORD_CHANGED: 'changed',
}

/**
 * What a link would do, for its holder (no session: the token is the credential): the action,
 * the task and record (title only when the assignee may read it), and whether it would be
 * accepted now. 404 for an unknown token.
 */
export async function describeApprovalLink(ctx: Ctx, token: string): Promise<ApprovalLinkView> {
  const link = await findLink(ctx, token)
  const user = await linkUser(ctx, link.user_id)
  const acting: Ctx = { ...ctx, user }
  const task = await loadTask(ctx, link.task_id)
  const refused = refusal(
    link,
    ctx.clock.now(),
    await recordVersion(ctx, task.entity, task.recordId),
  )
  const decided = task.status !== 'pending' || task.assignee !== user.id
  const locale = (user.locale ?? 'en') as Locale
  const instance = await instanceHead(ctx, task.instanceId)
  const approval = instance
    ? approvalOf(await instanceFlow(ctx, instance), instance.transition)
    : undefined
  const names = await userNames(ctx, [user.id])
  return {
    action: link.action,
    usable: !refused && !decided,
    reason: refused ? (REASONS[refused.code] ?? null) : decided ? 'decided' : null,
    commentRequired: link.action === 'reject',
    expiresAt: new Date(link.expires_at).toISOString(),
    assignee: { id: user.id, name: names.get(user.id) ?? user.displayName },
    task: {
      id: task.id,
      status: task.status,
      step: task.step,
      stepLabel: stepLabel(approval, task.step, locale),
    },
    record: {
      entity: task.entity,
      entityLabel: toLabel(ctx.meta.entities.get(task.entity)?.label, locale, task.entity),
      id: task.recordId,
      title: await readableTitle(acting, task.entity, task.recordId),
    },
  }
}

/** The record's title when the user may read the record and its title field, else null. */
async function readableTitle(ctx: Ctx, entity: string, id: string): Promise<string | null> {
  if ((await readableVersion(ctx, entity, id)) === null) return null
  const plan = entityPlan(ctx.meta, entity)
  const titleField = plan.entity.titleField
  if (!plan.titleColumn || (titleField && hiddenFields(ctx, entity)?.has(titleField))) return null
  const rows = await ctx.db.query<{ title: string | null }>(
    sql`select ${sql.identifier(plan.titleColumn)}::text as title from ${plan.table} where id = ${id}::uuid`,
  )
  return rows[0]?.title ?? null
}
