import { api, unwrap } from './client'

export type ShareAccess = 'read' | 'write'

/** Someone (a user or a department) a record is shared with. */
export interface Share {
  id: string
  userId: string | null
  departmentId: string | null
  access: ShareAccess
  expiresAt: string | null
  userName?: string | null
  departmentName?: string | null
  createdAt?: string
}

/** Whom to share with: exactly one of userId / departmentId. */
export interface ShareTarget {
  userId?: string
  departmentId?: string
  access: ShareAccess
  expiresAt?: string | null
}

/** Options of an ownership transfer. */
export interface TransferRequest {
  ids: string[]
  toUserId: string
  keepAsCollaborator?: boolean
  moveRelated?: boolean
}

/** A record matching candidate values; `id` only when the caller may read it. */
export interface DuplicateHit {
  id?: string
  title: string
  ownerName: string | null
  readable: boolean
}

const data = (entity: string) => `/api/data/${encodeURIComponent(entity)}`
const shares = (entity: string, id: string) => `${data(entity)}/${encodeURIComponent(id)}/shares`

/** Who a record is shared with. */
export async function listShares(entity: string, id: string): Promise<Share[]> {
  const list = unwrap<unknown>(await api(shares(entity, id)))
  return Array.isArray(list) ? (list as Share[]) : []
}

/** Shares one record (owner, the owner's managers or an admin; 403 otherwise). */
export async function addShare(entity: string, id: string, target: ShareTarget): Promise<Share> {
  return unwrap<Share>(await api(shares(entity, id), { method: 'POST', body: target }))
}

/** Ends a share. */
export async function removeShare(entity: string, id: string, shareId: string): Promise<void> {
  await api(`${shares(entity, id)}/${encodeURIComponent(shareId)}`, { method: 'DELETE' })
}

/** Shares many records at once. */
export async function bulkShare(
  entity: string,
  ids: string[],
  target: ShareTarget,
): Promise<{ shared: number }> {
  const body = { ids, ...target }
  return api(`${data(entity)}/bulk/share`, { method: 'POST', body })
}

/** Gives records a new owner; all or nothing (403 names the first refused id). */
export async function bulkTransfer(
  entity: string,
  request: TransferRequest,
): Promise<{ transferred: number; related?: Record<string, number> }> {
  return api(`${data(entity)}/bulk/transfer`, { method: 'POST', body: request })
}

/** Records (readable or not) that the entity's dedup rules match for these values. */
export async function findDuplicates(
  entity: string,
  values: Record<string, unknown>,
): Promise<DuplicateHit[]> {
  const body = await api<unknown>(`${data(entity)}/duplicates`, {
    method: 'POST',
    body: { values },
  })
  const list = unwrap<unknown>(body)
  return Array.isArray(list) ? (list as DuplicateHit[]) : []
}
