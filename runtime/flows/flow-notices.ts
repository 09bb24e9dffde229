import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { notifyMany, type NotifyInput } from '../notifications'
import type { RecordData } from '../records'
import type { ApprovalInstance, CoreEffect } from './approval-instance'

type NotifyEffect = Extract<CoreEffect, { type: 'notify' }>
type Reason = NotifyEffect['reason']

/** The in-app texts of approval notices, by language; `{title}` is the record's title. */
const TEXTS: Record<'en' | 'zh-CN' | 'ko', Record<Reason, string>> = {
  en: {
    task: '{title} awaits your approval',
    cc: '{title}: an approval you are copied on',
    remind: 'Reminder: {title} awaits your approval',
    approved: '{title} was approved',
    rejected: '{title} was rejected',
    returned: '{title} was returned to you',
    recalled: '{title} was recalled',
  },
  'zh-CN': {
    task: '{title} 等待您审批',
    cc: '{title}：抄送给您的审批',
    remind: '提醒：{title} 等待您审批',
    approved: '{title} 已审批通过',
    rejected: '{title} 已被驳回',
    returned: '{title} 已退回给您',
    recalled: '{title} 已被撤回',
  },
  ko: {
    task: '{title} 승인을 기다리고 있습니다',
    cc: '{title}: 참조로 받은 결재',
    remind: '알림: {title} 승인을 기다리고 있습니다',
    approved: '{title} 승인되었습니다',
    rejected: '{title} 반려되었습니다',
    returned: '{title} 반송되었습니다',
    recalled: '{title} 회수되었습니다',
  },
}

/** A notice's title in a language (English for one without texts). */
export function noticeTitle(reason: Reason, locale: string, title: string): string {
  const texts = TEXTS[locale as keyof typeof TEXTS] ?? TEXTS.en
  return texts[reason].replace('{title}', title)
}

/**
 * Stores the notices of one event's `notify` effects, each in its recipient's language, in the
 * caller's transaction. Keyed by instance, history length, reason, task and user, so the same
 * event applied twice (it cannot be: the instance row is locked) would notify once.
 */
export async function sendFlowNotices(
  ctx: Ctx,
  effects: NotifyEffect[],
  inst: ApprovalInstance | null,
  entity: string,
  record: RecordData,
  title: string,
): Promise<void> {
  const users = [...new Set(effects.flatMap((e) => e.users))]
  if (!users.length) return
  const locales = await ctx.db.query<{ id: string; locale: string }>(sql`
    select id::text as id, locale from users
    where id in (select (jsonb_array_elements_text(${JSON.stringify(users)}::jsonb))::uuid)`)
  const localeOf = new Map(locales.map((r) => [r.id, r.locale]))
  const at = ctx.clock.now()
  const round = inst ? `${inst.id}:${inst.history.length}` : `${record.id}:${record.version}`
  const inputs: NotifyInput[] = effects.flatMap((e) =>
    e.users
      .filter((user) => localeOf.has(user))
      .map((user) => ({
        userId: user,
        entity,
        recordId: record.id as string,
        title: noticeTitle(e.reason, localeOf.get(user)!, title),
        key: `flow:${round}:${e.reason}:${e.task ?? ''}:${user}`,
        createdAt: at,
      })),
  )
  await notifyMany(ctx.db, inputs)
}
