import { sql } from 'drizzle-orm'
import { LOCALES } from '../../metadata/labels'
import type { Ctx, CurrentUser } from '../context'
import { ConflictError, ValidationError, type Issue } from '../errors'
import { toCurrentUser, type CurrentUserRow } from './current-user-row'
import { hashPassword } from './password'

export interface NewUser {
  username: string
  password: string
  displayName: string
  email?: string | null
  isAdmin?: boolean
  locale?: string
}

export interface CreateUserOptions {
  /** Demo seeding only: accept passwords shorter than the minimum. */
  allowWeakPassword?: boolean
}

export const MIN_PASSWORD_LENGTH = 8
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Creates a user with a hashed password; 422 naming bad fields, 409 on a taken username.
 * @example await createUser(ctx, { username: 'ana', password: 'long-enough', displayName: 'Ana' })
 */
export async function createUser(
  ctx: Pick<Ctx, 'db'>,
  input: NewUser,
  options: CreateUserOptions = {},
): Promise<CurrentUser> {
  const issues = validateNewUser(input, options)
  if (issues.length) throw new ValidationError('Invalid user', issues)
  const passwordHash = await hashPassword(input.password)
  try {
    const rows = await ctx.db.query<CurrentUserRow>(sql`
      insert into users (username, display_name, email, password_hash, locale, is_admin)
      values (${input.username}, ${input.displayName.trim()}, ${input.email ?? null}, ${passwordHash},
        ${input.locale ?? 'en'}, ${input.isAdmin ?? false})
      returning id, username, display_name, locale, is_admin`)
    return toCurrentUser(rows[0])
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new ConflictError(`Username '${input.username}' is taken`, [
        { path: 'username', message: 'already taken' },
      ])
    }
    throw err
  }
}

/** The issues of a new user's fields; empty when it can be created. */
export function validateNewUser(input: NewUser, options: CreateUserOptions = {}): Issue[] {
  const issues: Issue[] = []
  const value = (input ?? {}) as unknown as Record<string, unknown>
  if (typeof value.username !== 'string' || !USERNAME.test(value.username)) {
    issues.push({ path: 'username', message: 'letters, digits, . _ @ - only; 1 to 64 characters' })
  }
  const minLength = options.allowWeakPassword ? 1 : MIN_PASSWORD_LENGTH
  if (typeof value.password !== 'string' || value.password.length < minLength) {
    issues.push({ path: 'password', message: `at least ${minLength} characters` })
  } else if (value.password.length > 1024) {
    issues.push({ path: 'password', message: 'at most 1024 characters' })
  }
  const name = value.displayName
  if (typeof name !== 'string' || !name.trim() || name.length > 200) {
    issues.push({ path: 'displayName', message: 'required, at most 200 characters' })
  }
  if (value.email != null && (typeof value.email !== 'string' || !EMAIL.test(value.email))) {
    issues.push({ path: 'email', message: 'not an email address' })
  }
  if (value.isAdmin !== undefined && typeof value.isAdmin !== 'boolean') {
    issues.push({ path: 'isAdmin', message: 'must be true or false' })
  }
  if (value.locale !== undefined && !(LOCALES as readonly unknown[]).includes(value.locale)) {
    issues.push({ path: 'locale', message: `one of ${LOCALES.join(', ')}` })
  }
  return issues
}

export type { CurrentUserRow as UserRow } from './current-user-row'
