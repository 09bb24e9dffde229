import { ApiError } from '../api/client'
import type { MessageKey } from '$lib/i18n/en'

/**
 * The message key for a refused release: a pool whose filter does not admit the record, a
 * record no longer the caller's, an owner changed meanwhile; null for anything else (shown as
 * the server's words).
 * @example toReleaseRefusal(new ApiError(403, 'forbidden', '…')) // 'release.notYours'
 */
export function toReleaseRefusal(err: unknown): MessageKey | null {
  if (!(err instanceof ApiError)) return null
  if (err.status === 403) return 'release.notYours'
  if (err.status === 409) return 'release.changed'
  if (err.status === 422 && err.details.some((d) => d.path === 'pool')) return 'release.wrongPool'
  if (err.status === 422 && err.details.some((d) => d.path === 'reason'))
    return 'release.pickReason'
  return null
}
