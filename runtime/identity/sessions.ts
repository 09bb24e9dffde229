import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../context'
import type { Db } from '../db'
import { UnauthorizedError } from '../errors'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from './current-user-row'
import { hashPassword, verifyPassword } from './password'
import { announceIdentityChange } from './session-cache'

/** Sessions last a fixed 12 hours: no write on every request to slide them. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000

// Verified when the username is unknown, so a wrong username costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined

/** sha-256 of a session token: what the sessions table stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Checks the credentials and opens a session; the token is returned once and stored only hashed.
 * @example const { token, user } = await login(ctx, 'admin', 'admin-password')
 */
export async function login(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  username: string,
  password: string,
): Promise<{ token: string; user: CurrentUser; expiresAt: Date }> {
  const refused = new UnauthorizedError('Wrong username or password')
  if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) {
    throw refused
  }
  const rows = await ctx.db.query<
    CurrentUserRow & { password_hash: string; disabled: boolean }
  >(sql`
    select ${currentUserColumns}, u.password_hash, u.disabled
    from users u where lower(u.username) = lower(${username})`)
  const row = rows[0]
  if (!row) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
    await verifyPassword(password, await dummyHash)
    throw refused
  }
  if (!(await verifyPassword(password, row.password_hash)) || row.disabled) throw refused
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(ctx.clock.now().getTime() + SESSION_TTL_MS)
  await ctx.db.query(sql`
    insert into sessions (token_hash, user_id, expires_at)
    values (${hashToken(token)}, ${row.id}, ${expiresAt.toISOString()}::timestamptz)`)
  return { token, user: toCurrentUser(row), expiresAt }
}

/**
 * The user behind a session token, or null when it is unknown, expired or the user is disabled.
 * One query by primary key; the server keeps answers in a `SessionResolver`.
 */
export async function resolveSession(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<CurrentUser | null> {
  if (!token || token.length > 256) return null
  return (await resolveSessionByHash(db, hashToken(token), now))?.user ?? null
}

/** The session stored under a token hash, with its expiry. */
export async function resolveSessionByHash(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ user: CurrentUser; expiresAt: Date } | null> {
  const rows = await db.query<CurrentUserRow & { expires_at: string | Date }>(sql`
    select ${currentUserColumns}, s.expires_at
    from sessions s join users u on u.id = s.user_id
    where s.token_hash = ${tokenHash} and s.expires_at > ${now.toISOString()}::timestamptz
      and not u.disabled`)
  const row = rows[0]
  return row ? { user: toCurrentUser(row), expiresAt: new Date(row.expires_at) } : null
}

/** Ends a session everywhere: the row goes, and every process forgets it at once. */
export async function logout(db: Db, token: string): Promise<void> {
  if (!token || token.length > 256) return
  const tokenHash = hashToken(token)
  await db.query(sql`delete from sessions where token_hash = ${tokenHash}`)
  await announceIdentityChange(db, { tokenHash })
}

/**
 * Ends every session of a user except `keepTokenHash` (the caller's own, on a password change).
 * Announces the change; inside a transaction the notice goes out on commit.
 */
export async function endUserSessions(
  db: Db,
  userId: string,
  keepTokenHash: string | null = null,
): Promise<void> {
  await db.query(sql`
    delete from sessions where user_id = ${userId}
      and (${keepTokenHash}::text is null or token_hash <> ${keepTokenHash})`)
  await announceIdentityChange(db, { userId })
}
