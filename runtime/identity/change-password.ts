import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Db } from '../db'
import { UnauthorizedError, ValidationError, type Issue } from '../errors'
import { MIN_PASSWORD_LENGTH } from './create-user'
import { hashPassword, verifyPassword } from './password'
import { revokeUserApiTokens } from './api-tokens'
import { endUserSessions } from './sessions'

/** The issues of a new password; empty when it is acceptable. */
export function validateNewPassword(password: unknown, path = 'password'): Issue[] {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    return [{ path, message: `at least ${MIN_PASSWORD_LENGTH} characters` }]
  }
  if (password.length > 1024) return [{ path, message: 'at most 1024 characters' }]
  return []
}

/**
 * Sets a user's password, ends their sessions (all but `keepTokenHash`) and revokes all their API
 * tokens, in one transaction: whoever learnt the old password may have minted a token with it.
 * Callers check who may do it; 422 naming `password` for a weak one.
 */
export async function setUserPassword(
  db: Db,
  userId: string,
  password: string,
  options: {
    keepTokenHash?: string | null
    path?: string
    allowWeakPassword?: boolean
    /** When the tokens count as revoked (the caller's clock); now when left out. */
    now?: Date
  } = {},
): Promise<boolean> {
  const issues = options.allowWeakPassword
    ? typeof password === 'string' && password
      ? []
      : [{ path: options.path ?? 'password', message: 'required' }]
    : validateNewPassword(password, options.path)
  if (issues.length) throw new ValidationError('Invalid password', issues)
  const passwordHash = await hashPassword(password)
  return db.transaction(async (tx) => {
    const rows = await tx.query(sql`
      update users set password_hash = ${passwordHash} where id = ${userId} returning id`)
    if (!rows.length) return false
    await revokeUserApiTokens(tx, userId, options.now ?? new Date())
    // Announces { userId }: every process drops the user's cached sessions and tokens on commit.
    await endUserSessions(tx, userId, options.keepTokenHash ?? null)
    return true
  })
}

/**
 * The caller changes their own password: the current one is checked (422 naming
 * `currentPassword` when wrong), every other session of theirs ends and every API token of theirs
 * is revoked; the session making the change stays signed in.
 * @example await changeOwnPassword(ctx, { currentPassword: 'old-pw-123', newPassword: 'new-pw-456' }, hash)
 */
export async function changeOwnPassword(
  ctx: Pick<Ctx, 'db' | 'user' | 'clock'>,
  input: { currentPassword?: unknown; newPassword?: unknown },
  keepTokenHash: string | null,
): Promise<void> {
  if (!ctx.user) throw new UnauthorizedError('Sign in first')
  const issues: Issue[] = []
  if (typeof input.currentPassword !== 'string' || !input.currentPassword) {
    issues.push({ path: 'currentPassword', message: 'required' })
  }
  issues.push(...validateNewPassword(input.newPassword, 'newPassword'))
  if (issues.length) throw new ValidationError('Invalid password change', issues)
  const [row] = await ctx.db.query<{ password_hash: string }>(
    sql`select password_hash from users where id = ${ctx.user.id}`,
  )
  const current = input.currentPassword as string
  if (!row || current.length > 1024 || !(await verifyPassword(current, row.password_hash))) {
    throw new ValidationError('The current password is wrong', [
      { path: 'currentPassword', message: 'wrong password' },
    ])
  }
  await setUserPassword(ctx.db, ctx.user.id, input.newPassword as string, {
    keepTokenHash,
    path: 'newPassword',
    now: ctx.clock.now(),
  })
}
