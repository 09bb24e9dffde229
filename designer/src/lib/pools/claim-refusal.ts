import { ApiError } from '../api/client'
import type { PoolOverview } from '$lib/api/pools'
import type { MessageKey } from '$lib/i18n/en'

/** Why a claim failed, as the workspace words it. */
export type ClaimRefusal = 'taken' | 'gone' | 'dailyLimit' | 'heldLimit' | 'cooldown' | 'other'

const REASONS = new Set<ClaimRefusal>(['taken', 'dailyLimit', 'heldLimit', 'cooldown'])

/**
 * Classifies a failed claim from the API's answer: a 409 names its `reason`; a 404 means the
 * record left the pool (claimed and moved on, or returned elsewhere).
 * @example toClaimRefusal(new ApiError(409, 'conflict', '…', [], { reason: 'taken' })) // 'taken'
 */
export function toClaimRefusal(err: unknown): ClaimRefusal {
  if (!(err instanceof ApiError)) return 'other'
  if (err.status === 404) return 'gone'
  const reason = err.body.reason as ClaimRefusal | undefined
  return err.status === 409 && reason && REASONS.has(reason) ? reason : 'other'
}

/** Whether the refused record is no longer in the pool, so its row must go. */
export function hasLeftPool(refusal: ClaimRefusal): boolean {
  return refusal === 'taken' || refusal === 'gone'
}

/**
 * The message key and its values for a refusal, filled from the pool's limits.
 * @example claimRefusalText('dailyLimit', pool, 'Acme') // { key: 'pools.refused.dailyLimit', params: { limit: 10, … } }
 */
export function claimRefusalText(
  refusal: Exclude<ClaimRefusal, 'other'>,
  pool: PoolOverview,
  title: string,
): { key: MessageKey; params: Record<string, string | number> } {
  const params = {
    title,
    limit: refusal === 'dailyLimit' ? (pool.claimsPerDay ?? 0) : (pool.heldLimit ?? 0),
    held: pool.held,
    days: pool.cooldownDays,
  }
  return { key: `pools.refused.${refusal}`, params }
}
