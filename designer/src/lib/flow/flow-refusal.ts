import { ApiError } from '$lib/api/client'
import type { MessageKey } from '$lib/i18n/en'

/**
 * The message for a refusal that means "someone got there first" (a stale record version, a
 * step already decided): the panel shows it and reloads. Other errors answer null.
 */
export function conflictKey(err: unknown): MessageKey | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null
  return /ALREADY_DECIDED/i.test(err.code) ? 'flow.alreadyDecided' : 'flow.conflict'
}
