import type { Ctx, CurrentUser } from '../context'
import { ForbiddenError } from '../errors'
import { sharingWords } from './sharing-refusal-texts'

/**
 * The signed-in caller, or 403 (runtime calls without a user cannot share or transfer); without
 * a user there is no saved language, so the refusal reads in English.
 */
export function requireCaller(ctx: Ctx): CurrentUser {
  if (!ctx.user) throw new ForbiddenError(sharingWords(undefined)('signInToShare'))
  return ctx.user
}

/** Whether the caller is an administrator: the users flag, or any role with `all: true`. */
export function isAdministrator(ctx: Ctx): boolean {
  const user = ctx.user
  if (!user) return false
  if (user.isAdmin) return true
  return (user.roles ?? []).some((id) => ctx.meta.roles.get(id)?.all === true)
}
