import type { Ctx } from '../context'
import { administratorsOnly, signInFirst } from '../identity'

/** True when the caller administers the organisation: the admin flag, or a role with `all`. */
export function isOrgAdmin(ctx: Pick<Ctx, 'user' | 'meta'>): boolean {
  const user = ctx.user
  if (!user) return false
  return user.isAdmin || (user.roles ?? []).some((id) => ctx.meta.roles.get(id)?.all === true)
}

/**
 * Throws 401 without a caller and 403 (in the caller's language) unless the caller administers
 * the organisation.
 */
export function assertOrgAdmin(ctx: Pick<Ctx, 'user' | 'meta'>): void {
  if (!ctx.user) throw signInFirst(undefined)
  if (!isOrgAdmin(ctx)) throw administratorsOnly(ctx.user.locale)
}
