import type { Labels } from '$metadata/labels'
import type { Rule } from '$metadata/rule'
import { api, unwrap } from './client'
import type { ListPage, RecordData } from './data'

/** A pool the caller may use, with their held count and claims today against the limits. */
export interface PoolOverview {
  id: string
  label: Labels
  entity: string
  waiting: number
  held: number
  heldLimit: number | null
  claimedToday: number
  claimsPerDay: number | null
  returnReasons: { value: string; label: Labels }[]
  /** The caller may return anyone's record to this pool (not only their own). */
  admin: boolean
  /** The field naming the pool a record sits in. */
  poolField: string
  /** Days after a record left someone before they may claim it again (0: none). */
  cooldownDays: number
  /** json-logic over a record: only records that match may be returned here (null: any). */
  filter: Rule | null
}

/**
 * The pools the caller may see and claim from (an empty list: none).
 * @example (await loadPools()).map((p) => p.id) // ['east']
 */
export async function loadPools(): Promise<PoolOverview[]> {
  return unwrap<PoolOverview[]>(await api('/api/pools')) ?? []
}

/** One page of the unowned records waiting in a pool. */
export async function listPoolRecords(
  poolId: string,
  q: { sort?: string; limit?: number; cursor?: string | null } = {},
): Promise<ListPage> {
  const page = await api<Partial<ListPage>>(`/api/pools/${encodeURIComponent(poolId)}/records`, {
    query: { sort: q.sort, limit: q.limit, cursor: q.cursor },
  })
  return { data: page.data ?? [], nextCursor: page.nextCursor ?? null }
}

/**
 * Claims a waiting record for the caller; a refusal is an ApiError whose body names `reason`
 * (taken, dailyLimit, heldLimit, cooldown).
 * @example await claimFromPool('east', id) // { id, version: 4, owner: me }
 */
export function claimFromPool(poolId: string, recordId: string): Promise<RecordData> {
  const path = `/api/pools/${encodeURIComponent(poolId)}/claim/${encodeURIComponent(recordId)}`
  return api<RecordData>(path, { method: 'POST' })
}

/**
 * Returns a record to a pool with a reason (one of the pool's return reasons when it lists any).
 * @example await releaseToPool('customer', id, { pool: 'east', reason: 'noNeed' })
 */
export function releaseToPool(
  entity: string,
  recordId: string,
  body: { pool: string; reason: string },
): Promise<RecordData> {
  const path = `/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(recordId)}/release`
  return api<RecordData>(path, { method: 'POST', body })
}
