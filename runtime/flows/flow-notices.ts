import type { KeyObject } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import { toLabel, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import type { RecordData, SlotFn } from '../records'
import type { ApprovalInstance, CoreEffect } from './approval-instance'
import type { NamedStatement } from './instance-rows'
import { approvalLinkPath, LINK_TTL_MS, signApprovalLinks } from './approval-link-tokens'

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
    reclaimed: '{title}: the task delegated to you was taken back by its owner',
  },
  'zh-CN': {
    task: '{title} 等待您审批',
    cc: '{title}：抄送给您的审批',
    remind: '提醒：{title} 等待您审批',
    approved: '{title} 已审批通过',
    rejected: '{title} 已被驳回',
    returned: '{title} 已退回给您',
    recalled: '{title} 已被撤回',
    reclaimed: '{title}：委派给您的审批已被原审批人收回',
  },
  ko: {
    task: '{title} 승인을 기다리고 있습니다',
    cc: '{title}: 참조로 받은 결재',
    remind: '알림: {title} 승인을 기다리고 있습니다',
    approved: '{title} 승인되었습니다',
    rejected: '{title} 반려되었습니다',
    returned: '{title} 반송되었습니다',
    recalled: '{title} 회수되었습니다',
    reclaimed: '{title}: 위임받은 결재를 원래 결재자가 회수했습니다',
  },
}

/** A notice's title in a language (English for one without texts). */
export function noticeTitle(reason: Reason, locale: string, title: string): string {
  const texts = TEXTS[locale as keyof typeof TEXTS] ?? TEXTS.en
  return texts[reason].replace('{title}', title)
}

/**
 * A record's title as a notice says it in a language: a select title field's option label (a
 * leave request reads "Annual leave" / "年假", not "annual"), else the stored text, else the id.
 * @example recordTitle(leaveRequest, { id, leaveType: 'sick' })('zh-CN') // '病假'
 */
export function recordTitle(
  entity: Entity | undefined,
  record: RecordData,
): (locale: Locale) => string {
  const field = entity?.titleField
    ? entity.fields.find((f) => f.name === entity.titleField)
    : undefined
  const value = field ? record[field.name] : undefined
  if (value === undefined || value === null || value === '') return () => String(record.id)
  const option =
    field?.type === 'select' ? field.options?.find((o) => o.value === value) : undefined
  return option ? (locale) => toLabel(option.label, locale, String(value)) : () => String(value)
}

/** The body of a new task's notice: its signed links, by language. */
const LINK_TEXTS: Record<keyof typeof TEXTS, string> = {
  en: 'Approve: {approve}\nReject: {reject}',
  'zh-CN': '同意：{approve}\n驳回：{reject}',
  ko: '승인: {approve}\n반려: {reject}',
}

/** One notice to store, in every language (the recipient's is picked in the statement). */
interface NoticeRow {
  user_id: string
  key: string
  /** Every language's title (cut to the stored length) and body, as `notifications.texts`. */
  texts: Record<string, { title: string; body: string | null }>
}

/** The longest title a notification stores, in characters. */
const TITLE_CHARS = 500

/** `texts` of a notice: each language's title, cut as the title column is, and its body. */
function toTexts(titles: Record<string, string>, bodies: Record<string, string> | null) {
  const texts: NoticeRow['texts'] = {}
  for (const [locale, title] of Object.entries(titles)) {
    const cut = title.length > TITLE_CHARS ? [...title].slice(0, TITLE_CHARS).join('') : title
    texts[locale] = { title: cut, body: bodies?.[locale] ?? null }
  }
  return texts
}

/**
 * The notices of one event's `notify` effects, as a statement for the instance's write (see
 * saveInstance): each in its recipient's language (joined from users), a new task's notice with
 * a signed approve and a reject link in its body (mail and chat carry the body; `linkKey` signs
 * them, nothing about them is stored); the users stored for are answered by the write
 * (`noticed`), to be announced after the commit so open inboxes update. Keyed by instance,
 * history length, reason, task and user, so the same event applied twice (it cannot be: the
 * instance row is locked) would notify once. Links are refused once the record's version moves
 * past the one written with the event.
 */
export function flowNoticeStatements(
  ctx: Ctx,
  effects: NotifyEffect[],
  notice: {
    inst: ApprovalInstance
    entity: string
    record: RecordData
    /** The record's title in a language (see recordTitle). */
    title: (locale: Locale) => string
    linkKey: KeyObject
  },
): NamedStatement[] {
  const { inst, entity, record, title } = notice
  if (!effects.some((e) => e.users.length)) return []
  const at = ctx.clock.now()
  const expiresAt = new Date(at.getTime() + LINK_TTL_MS)
  const round = `${inst.id}:${inst.history.length}`
  const rows: NoticeRow[] = []
  const seen = new Set<string>()
  for (const e of effects)
    for (const user of e.users) {
      const key = `flow:${round}:${e.reason}:${e.task ?? ''}:${user}`
      if (seen.has(key)) continue
      seen.add(key)
      const titles = byLanguage((locale) => noticeTitle(e.reason, locale, title(locale)))
      const task = e.reason === 'task' && e.task ? inst.tasks.find((t) => t.id === e.task) : null
      let bodies: Record<string, string> | null = null
      if (task && task.assignee === user && task.status === 'pending') {
        const tokens = signApprovalLinks(notice.linkKey, {
          instanceId: inst.id,
          taskKey: task.id,
          userId: user,
          recordVersion: Number(record.version),
          expiresAt,
        })
        const approve = approvalLinkPath(tokens.approve)
        const reject = approvalLinkPath(tokens.reject)
        bodies = byLanguage((locale) =>
          LINK_TEXTS[locale].replace('{approve}', approve).replace('{reject}', reject),
        )
      }
      rows.push({ user_id: user, key, texts: toTexts(titles, bodies) })
    }
  return [
    {
      name: 'notices_stored',
      build: (v) => storeNotices(v, rows.length),
      values: [
        entity,
        record.id,
        at.toISOString(),
        ...rows.flatMap((r) => [r.user_id, r.key, JSON.stringify(r.texts)]),
      ],
      noticed: true,
    },
  ]
}

/**
 * Stores `count` notices (slots: entity, record id, instant, then each notice's user id, key and
 * texts): every language's title and body in `texts` (see toTexts), so a recipient who later
 * switches language reads the notice in the new one (see toReaderText), and as title and body
 * those of the recipient's language of now (English for a language the notices do not speak).
 * The rows are a VALUES list, so the recipients are looked up by key.
 */
function storeNotices(v: SlotFn, count: number): SQL {
  const rows = Array.from(
    { length: count },
    (_, i) => sql`(${v(3 + 3 * i)}::uuid, ${v(4 + 3 * i)}::text, ${v(5 + 3 * i)}::jsonb)`,
  )
  return sql`
    insert into notifications (user_id, entity, record_id, title, body, texts, key, created_at)
    select u.id, ${v(0)}, ${v(1)}::uuid,
      coalesce(r.texts -> u.locale ->> 'title', r.texts -> 'en' ->> 'title'),
      coalesce(r.texts -> u.locale ->> 'body', r.texts -> 'en' ->> 'body'),
      r.texts, r.key, ${v(2)}::timestamptz
    from (values ${sql.join(rows, sql`, `)}) as r(user_id, key, texts)
    join users u on u.id = r.user_id
    on conflict (key) do nothing
    returning user_id`
}

/** A text in each language the notices speak. */
function byLanguage(text: (locale: keyof typeof TEXTS) => string): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(TEXTS) as (keyof typeof TEXTS)[]).map((locale) => [locale, text(locale)]),
  )
}
