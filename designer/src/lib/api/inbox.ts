import { api, ApiError, unwrap } from './client'
import type { ApiLabel, ApiPerson } from './flows'

/** The boxes of the approvals inbox. */
export type InboxBox = 'pending' | 'submitted' | 'cc' | 'done'

/** One line of an inbox. */
export interface InboxItem {
  taskId?: string | null
  instanceId: string
  entity: string
  entityLabel?: ApiLabel
  recordId: string
  title?: string | null
  /** The record's `subtitleFields` (dates, amount…), to tell equal titles apart. */
  subtitle?: Record<string, unknown> | null
  step?: string | null
  stepLabel?: ApiLabel
  submitter?: ApiPerson
  createdAt: string
  status?: string
  /** Done box, a task I delegated: the delegate who holds it (status pending) or decided it. */
  delegatedTo?: ApiPerson | null
}

/** How many wait in each box. */
export interface InboxCounts {
  pending: number
  submitted: number
  cc: number
}

/** A page of an inbox. */
export interface InboxPage {
  items: InboxItem[]
  nextCursor: string | null
  counts?: InboxCounts
}

/** One task's outcome in a bulk action. */
export interface BulkResult {
  task: string
  ok: boolean
  code?: string
  message?: string
}

/** A page of one box. */
export async function loadInbox(
  box: InboxBox,
  cursor?: string | null,
  limit = 25,
): Promise<InboxPage> {
  const body = await api<Partial<InboxPage> & { data?: InboxItem[] }>('/api/inbox', {
    query: { box, cursor, limit },
  })
  return {
    items: body.items ?? body.data ?? [],
    nextCursor: body.nextCursor ?? null,
    counts: body.counts,
  }
}

/** How many wait in my boxes. */
export async function loadInboxCounts(): Promise<InboxCounts> {
  const body = unwrap<Partial<InboxCounts> & { counts?: InboxCounts }>(
    await api('/api/inbox/counts'),
  )
  const counts = body.counts ?? body
  return {
    pending: Number(counts.pending ?? 0),
    submitted: Number(counts.submitted ?? 0),
    cc: Number(counts.cc ?? 0),
  }
}

/** Approves or rejects several tasks at once; answers each task's outcome. */
export async function bulkAct(
  action: 'approve' | 'reject',
  tasks: string[],
  comment?: string,
): Promise<BulkResult[]> {
  const body = await api<unknown>('/api/tasks/bulk', {
    method: 'POST',
    body: { action, tasks, comment: comment || undefined },
  })
  const list = unwrap<unknown>(body)
  const rows = Array.isArray(list)
    ? list
    : ((list as { results?: unknown[] } | null)?.results ?? [])
  return (rows as Record<string, unknown>[]).map((r) => ({
    task: String(r.task ?? r.taskId ?? r.id ?? ''),
    ok: r.ok === true || r.status === 'ok' || r.status === 200,
    code: typeof r.code === 'string' ? r.code : undefined,
    message:
      typeof r.message === 'string'
        ? r.message
        : typeof (r.error as { message?: unknown } | undefined)?.message === 'string'
          ? String((r.error as { message: string }).message)
          : undefined,
  }))
}

/** My out-of-office setting: who takes my tasks, from when to when. */
export interface OutOfOffice {
  substitute: string
  /** The substitute's name, as GET answers it. */
  substituteName?: string | null
  from: string
  to: string
}

/** My out-of-office setting, or null when none is set. */
export async function loadOutOfOffice(): Promise<OutOfOffice | null> {
  try {
    const body = unwrap<Partial<OutOfOffice> | null>(await api('/api/me/out-of-office'))
    return body && body.substitute && body.from && body.to ? (body as OutOfOffice) : null
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}

/** Names a substitute for a date range. */
export function saveOutOfOffice(value: Omit<OutOfOffice, 'substituteName'>): Promise<unknown> {
  return api('/api/me/out-of-office', { method: 'PUT', body: value })
}

/** Ends my out-of-office setting. */
export function clearOutOfOffice(): Promise<unknown> {
  return api('/api/me/out-of-office', { method: 'DELETE' })
}
