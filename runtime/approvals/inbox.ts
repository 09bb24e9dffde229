import { sql } from 'drizzle-orm'
import type { Flow } from '../../metadata/flow'
import { toLabel, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { boxUnion, entitiesInBox, INBOX_BOXES, type InboxBox } from './inbox-sql'
import { instanceFlow } from './instance-flow'
import { approvalOf, stepLabel } from './approval-steps'
import { callerId } from './task-row'
import { userNames } from './user-names'

/** One line of an inbox box. */
export interface InboxItem {
  /** The task to act on (pending and done boxes). */
  taskId: string | null
  instanceId: string
  entity: string
  entityLabel: string
  recordId: string
  title: string | null
  /** The record's readable `subtitleFields` as text, or null when it names none. */
  subtitle: Record<string, string | null> | null
  step: string | null
  stepLabel: string | null
  submitter: { id: string; name: string }
  createdAt: string
  decidedAt: string | null
  status: string
  /**
   * Done box, a task the caller delegated: the delegate who holds it (status pending: the caller
   * may take it back) or who decided it. Null for the caller's own work.
   */
  delegatedTo: { id: string; name: string } | null
}

/** The sidebar counts: pending tasks, running approvals the caller submitted, CCs. */
export interface InboxCounts {
  pending: number
  submitted: number
  cc: number
}

export interface InboxPage {
  items: InboxItem[]
  nextCursor: string | null
  counts: InboxCounts
}

export const DEFAULT_INBOX_LIMIT = 20
export const MAX_INBOX_LIMIT = 100

interface Row {
  at_text: string
  sort_key: string
  task_id: string | null
  instance_id: string
  flow: string
  flow_version: number
  transition: string
  entity: string
  record_id: string
  title: string | null
  subtitle: Record<string, string | null> | string | null
  step: string | null
  status: string
  created_at: string | Date
  decided_at: string | Date | null
  submitter: string
  delegated_to: string | null
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString())

function toCursor(row: Row): string {
  return Buffer.from(JSON.stringify([row.at_text, row.sort_key])).toString('base64url')
}

function fromCursor(text: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every((p) => typeof p === 'string' && p.length <= 200) &&
      !Number.isNaN(Date.parse(parsed[0] as string))
    )
      return parsed as [string, string]
  } catch {
    // answered below
  }
  throw new BadRequestError('Invalid cursor', [
    { path: 'cursor', message: 'not a cursor of this box' },
  ])
}

/** Whether `value` names a box. */
export function isInboxBox(value: string): value is InboxBox {
  return (INBOX_BOXES as readonly string[]).includes(value)
}

/**
 * One page of a box, newest first, keyset-paginated, with the counts; only records the caller may
 * read are listed (a task on a record outside their read scope does not appear).
 * @example await listInbox(ctx, { box: 'pending', limit: 20 }) // { items, nextCursor, counts }
 */
export async function listInbox(
  ctx: Ctx,
  input: { box: InboxBox; cursor?: string; limit?: number },
): Promise<InboxPage> {
  const me = callerId(ctx)
  const limit = Math.min(input.limit ?? DEFAULT_INBOX_LIMIT, MAX_INBOX_LIMIT)
  const after = input.cursor ? fromCursor(input.cursor) : null
  const union = boxUnion(ctx, input.box, me, await entitiesInBox(ctx, input.box, me))
  const counts = await inboxCounts(ctx)
  if (!union) return { items: [], nextCursor: null, counts }
  const keyset = after
    ? sql`where (q.sort_at, q.sort_key) < (${after[0]}::timestamptz, ${after[1]})`
    : sql``
  const rows = await ctx.db.query<Row>(sql`select q.*, q.sort_at::text as at_text
    from (${union}) q ${keyset}
    order by q.sort_at desc, q.sort_key desc limit ${limit + 1}`)
  const page = rows.slice(0, limit)
  const names = await userNames(
    ctx,
    page.flatMap((r) => (r.delegated_to ? [r.submitter, r.delegated_to] : [r.submitter])),
  )
  const flows = new Map<string, Promise<Flow | undefined>>()
  const items = await Promise.all(
    page.map(async (row) => {
      const flow = await instanceFlow(
        ctx,
        { flow: row.flow, flowVersion: Number(row.flow_version) },
        flows,
      )
      return toItem(ctx, row, names, flow)
    }),
  )
  return {
    items,
    nextCursor: rows.length > limit ? toCursor(page[page.length - 1]) : null,
    counts,
  }
}

function toItem(ctx: Ctx, row: Row, names: Map<string, string>, flow: Flow | undefined): InboxItem {
  const locale = (ctx.user?.locale ?? 'en') as Locale
  const entity = ctx.meta.entities.get(row.entity)
  const approval = approvalOf(flow, row.transition)
  return {
    taskId: row.task_id,
    instanceId: row.instance_id,
    entity: row.entity,
    entityLabel: toLabel(entity?.label, locale, row.entity),
    recordId: row.record_id,
    title: row.title,
    subtitle: typeof row.subtitle === 'string' ? JSON.parse(row.subtitle) : row.subtitle,
    step: row.step,
    stepLabel: stepLabel(approval, row.step, locale),
    submitter: { id: row.submitter, name: names.get(row.submitter) ?? '' },
    createdAt: iso(row.created_at)!,
    decidedAt: iso(row.decided_at),
    status: row.status,
    delegatedTo: row.delegated_to
      ? { id: row.delegated_to, name: names.get(row.delegated_to) ?? '' }
      : null,
  }
}

/**
 * The sidebar counts, read scope applied like the lists: pending tasks, running approvals the
 * caller submitted, CCs. One query after the entity look-ups.
 */
export async function inboxCounts(ctx: Ctx): Promise<InboxCounts> {
  const me = callerId(ctx)
  const boxes = ['pending', 'submitted', 'cc'] as const
  const unions = await Promise.all(
    boxes.map(async (box) => boxUnion(ctx, box, me, await entitiesInBox(ctx, box, me), true)),
  )
  const counted = unions.map((u) => (u ? sql`(select count(*) from (${u}) q)` : sql`0`))
  const [row] = await ctx.db.query<Record<string, string | number>>(
    sql`select ${counted[0]} as pending, ${counted[1]} as submitted, ${counted[2]} as cc`,
  )
  return { pending: Number(row.pending), submitted: Number(row.submitted), cc: Number(row.cc) }
}
