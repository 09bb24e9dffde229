import type { Rule } from '$metadata/rule'
import { api } from './client'

export type RecordData = Record<string, unknown> & { id?: string; version?: number }

export interface ListPage {
  data: RecordData[]
  nextCursor: string | null
  total?: number
}

export interface ListQuery {
  filter?: Rule | null
  sort?: string
  limit?: number
  cursor?: string | null
  count?: boolean
}

export interface RelatedPage {
  data: RecordData[]
  hasMore: boolean
}

export interface HistoryEntry {
  action: string
  userId?: string | null
  userName?: string | null
  at: string
  version?: number
  changes?: Record<string, { before: unknown; after: unknown }> | null
}

const base = (entity: string) => `/api/data/${encodeURIComponent(entity)}`

/** One page of an entity's records (keyset paging through `cursor`). */
export async function listRecords(entity: string, q: ListQuery = {}): Promise<ListPage> {
  const page = await api<Partial<ListPage>>(base(entity), {
    query: {
      filter: q.filter == null ? undefined : JSON.stringify(q.filter),
      sort: q.sort,
      limit: q.limit,
      cursor: q.cursor,
      count: q.count ? 'true' : undefined,
    },
  })
  return { data: page.data ?? [], nextCursor: page.nextCursor ?? null, total: page.total }
}

/** What the caller may do with one record, as the server evaluated it for that row. */
export interface RecordCan {
  update: boolean
  delete: boolean
  share: boolean
  transfer: boolean
  /** Fields the caller may read but not write (a child table's as `lines.unitPrice`). */
  readOnlyFields: string[]
}

/**
 * A record, with `related` its related lists keyed by list id, and with `can` what the caller
 * may do with it.
 */
export async function getRecord(
  entity: string,
  id: string,
  related = false,
  can = false,
): Promise<{ record: RecordData; related: Record<string, RelatedPage>; can?: RecordCan }> {
  const url = `${base(entity)}/${encodeURIComponent(id)}`
  const body = await api<Record<string, unknown>>(url, {
    query: { related: related ? 'true' : undefined, can: can ? 'true' : undefined },
  })
  const related_ = (body.related ?? {}) as Record<string, RelatedPage>
  const rights = can ? (body.can as RecordCan | undefined) : undefined
  const record = toRecord(body)
  if (can) delete record.can
  return { record, related: related_, can: rights }
}

/** Deletes a record if it is still at `version` (409 otherwise). */
export async function deleteRecord(
  entity: string,
  id: string,
  version: number | undefined,
): Promise<void> {
  const headers: Record<string, string> = version == null ? {} : { 'if-match': String(version) }
  await api(`${base(entity)}/${encodeURIComponent(id)}`, { method: 'DELETE', headers })
}

/** Creates a record and answers it as stored. */
export async function createRecord(entity: string, values: RecordData): Promise<RecordData> {
  return toRecord(await api(base(entity), { method: 'POST', body: values }))
}

/** Changes a record if it is still at `version` (409 otherwise). */
export async function updateRecord(
  entity: string,
  id: string,
  version: number | undefined,
  changes: RecordData,
): Promise<RecordData> {
  const headers: Record<string, string> = version == null ? {} : { 'if-match': String(version) }
  const url = `${base(entity)}/${encodeURIComponent(id)}`
  return toRecord(await api(url, { method: 'PATCH', body: changes, headers }))
}

/** The audit trail of a record, newest first as the server sends it. */
export async function loadHistory(entity: string, id: string): Promise<HistoryEntry[]> {
  const body = await api<unknown>(`${base(entity)}/${encodeURIComponent(id)}/history`)
  const list = Array.isArray(body) ? body : (body as { data?: unknown[] } | null)?.data
  return (list ?? []) as HistoryEntry[]
}

// Records may come bare or wrapped as `{ data: record, related }`.
function toRecord(body: unknown): RecordData {
  const obj = (body ?? {}) as Record<string, unknown>
  const inner = obj.data
  if (inner && typeof inner === 'object' && !Array.isArray(inner) && 'id' in inner) {
    return inner as RecordData
  }
  const { related: _related, warnings: _warnings, ...record } = obj
  return record as RecordData
}

/** What saving this draft would fill (latestFrom values), without saving it. */
export async function previewRecord(entity: string, draft: RecordData): Promise<RecordData> {
  return api<RecordData>(`${base(entity)}/preview`, { method: 'POST', body: draft })
}
