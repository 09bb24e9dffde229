import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import { createUser, setUserPassword, validateNewUser, type CreateUserOptions } from '../identity'
import { applyUserPatch } from './apply-user-patch'
import { assertOrgAdmin } from './assert-org-admin'
import { containsPattern } from './input-checks'
import { ORG_USER_COLUMNS, requireOrgUser, toOrgUser, type OrgUser } from './org-user-row'
import { parseUserPatch, type UserPatch } from './user-patch'

/** A new user: login fields plus any organisation fields of a patch. */
export interface NewOrgUser extends UserPatch {
  username: string
  password: string
  displayName: string
}

/** Users matching `q` (username, name or email), by name; at most `limit` (default 200). */
export async function listOrgUsers(
  ctx: Ctx,
  options: { q?: string; limit?: number } = {},
): Promise<OrgUser[]> {
  assertOrgAdmin(ctx)
  const pattern = options.q ? containsPattern(options.q) : null
  const rows = await ctx.db.query<Record<string, unknown>>(sql`
    select ${ORG_USER_COLUMNS} from users u
    where ${pattern}::text is null or lower(u.username) like ${pattern}
      or lower(u.display_name) like ${pattern} or lower(coalesce(u.email, '')) like ${pattern}
    order by lower(u.display_name), u.id limit ${Math.min(options.limit ?? 200, 1000)}`)
  return rows.map(toOrgUser)
}

/** One user, or 404. */
export async function getOrgUser(ctx: Ctx, id: string): Promise<OrgUser> {
  assertOrgAdmin(ctx)
  return requireOrgUser(ctx.db, id)
}

/**
 * Creates a user with their department, manager, position, roles and attributes in one
 * transaction; 422 naming every bad field, 409 on a taken username.
 * @example await createOrgUser(ctx, { username: 'ana', password: 'long-enough', displayName: 'Ana', roles: ['salesRep'] })
 */
export async function createOrgUser(
  ctx: Ctx,
  input: NewOrgUser,
  options: CreateUserOptions = {},
): Promise<OrgUser> {
  assertOrgAdmin(ctx)
  const value = (input ?? {}) as unknown as Record<string, unknown>
  const { patch, issues } = parseUserPatch(value, ctx.meta, ['username', 'password'])
  issues.unshift(
    ...validateNewUser(input, options).filter((i) => !issues.some((j) => j.path === i.path)),
  )
  if (issues.length) throw new ValidationError('Invalid user', issues)
  return ctx.db.transaction(async (tx) => {
    const created = await createUser({ db: tx }, input, options)
    const current = await requireOrgUser(tx, created.id)
    await applyUserPatch(tx, ctx, current, patch)
    return requireOrgUser(tx, created.id)
  })
}

/**
 * Changes a user's organisation fields in one transaction (closures included); cached sessions of
 * the user reload everywhere. 422 naming the field (manager loop: `managerId`; unknown role: `roles`).
 */
export async function updateOrgUser(ctx: Ctx, id: string, input: UserPatch): Promise<OrgUser> {
  assertOrgAdmin(ctx)
  const { patch, issues } = parseUserPatch(input, ctx.meta)
  if (issues.length) throw new ValidationError('Invalid user', issues)
  return ctx.db.transaction(async (tx) => {
    const current = await requireOrgUser(tx, id)
    await applyUserPatch(tx, ctx, current, patch)
    return requireOrgUser(tx, id)
  })
}

/** Sets (or clears) a user's manager; the manager closure follows. */
export function setManager(ctx: Ctx, userId: string, managerId: string | null): Promise<OrgUser> {
  return updateOrgUser(ctx, userId, { managerId })
}

/** Moves a user to another department (or none). */
export function setDepartment(
  ctx: Ctx,
  userId: string,
  departmentId: string | null,
): Promise<OrgUser> {
  return updateOrgUser(ctx, userId, { departmentId })
}

/** Replaces a user's roles (ids of published roles). */
export function setRoles(ctx: Ctx, userId: string, roles: string[]): Promise<OrgUser> {
  return updateOrgUser(ctx, userId, { roles })
}

/** Disables (ending their sessions) or enables a user. */
export function setDisabled(ctx: Ctx, userId: string, disabled: boolean): Promise<OrgUser> {
  return updateOrgUser(ctx, userId, { disabled })
}

/** An administrator sets a user's password; every session and API token of that user ends. */
export async function resetUserPassword(
  ctx: Ctx,
  userId: string,
  password: unknown,
): Promise<void> {
  assertOrgAdmin(ctx)
  await requireOrgUser(ctx.db, userId)
  await setUserPassword(ctx.db, userId, password as string, { now: ctx.clock.now() })
}
