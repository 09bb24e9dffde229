import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../context'
import type { Db } from '../db'
import { NotFoundError, UnauthorizedError, ValidationError, type Issue } from '../errors'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from './current-user-row'
import { hashToken } from './sessions'
import { announceIdentityChange } from './session-cache'

/** API tokens carry this prefix and are longer than session tokens, so the two never mix. */
export const API_TOKEN_PREFIX = 'trl_'
const API_TOKEN_LENGTH = API_TOKEN_PREFIX.length + 43
/** last_used_at is written at most this often per token. */
export const TOKEN_TOUCH_MS = 60_000

export interface NewApiToken {
  name: string
  /** Role ids, a subset of the caller's; all of them when left out. */
  roles?: string[]
  /** ISO timestamp after which the token stops working. */
  expiresAt?: string | null
}

/** An API token as listed: never its secret. */
export interface ApiTokenInfo {
  id: string
  name: string
  roles: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

/** True when `token` has the shape of an API token (not a session token). */
export function isApiToken(token: string): boolean {
  return token.length === API_TOKEN_LENGTH && token.startsWith(API_TOKEN_PREFIX)
}

// JavaScript dates reach year 275760, whose ISO text (`+275760-…`) PostgreSQL cannot read.
const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/**
 * Creates an API token for the caller, limited to some of their roles; the secret is returned once.
 * @example const { token } = await createApiToken(ctx, { name: 'ci', roles: ['salesRep'] })
 */
export async function createApiToken(
  ctx: Pick<Ctx, 'db' | 'user' | 'clock'>,
  input: NewApiToken,
): Promise<{ id: string; name: string; roles: string[]; expiresAt: string | null; token: string }> {
  const user = requireUser(ctx)
  const mine = user.roles ?? []
  const issues: Issue[] = []
  const value = (input ?? {}) as unknown as Record<string, unknown>
  for (const key of Object.keys(value)) {
    if (!['name', 'roles', 'expiresAt'].includes(key))
      issues.push({ path: key, message: 'unknown' })
  }
  if (typeof value.name !== 'string' || !value.name.trim() || value.name.length > 100) {
    issues.push({ path: 'name', message: 'required, at most 100 characters' })
  } else if (value.name.includes('\u0000')) {
    // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
    issues.push({ path: 'name', message: 'must not contain a NUL character' })
  }
  let roles = mine
  if (value.roles !== undefined) {
    if (!Array.isArray(value.roles) || !value.roles.every((r) => typeof r === 'string')) {
      issues.push({ path: 'roles', message: 'must be an array of role ids' })
    } else {
      const outside = value.roles.filter((r) => !mine.includes(r))
      if (outside.length)
        issues.push({ path: 'roles', message: `not yours: ${outside.join(', ')}` })
      roles = [...new Set(value.roles as string[])].sort()
    }
  }
  let expiresAt: string | null = null
  if (value.expiresAt != null) {
    const at = typeof value.expiresAt === 'string' ? new Date(value.expiresAt) : new Date(NaN)
    if (Number.isNaN(at.getTime())) issues.push({ path: 'expiresAt', message: 'not a timestamp' })
    else if (at <= ctx.clock.now()) issues.push({ path: 'expiresAt', message: 'in the past' })
    else if (at.getTime() > LATEST_EXPIRY_MS)
      issues.push({ path: 'expiresAt', message: 'later than 9999-12-31' })
    else expiresAt = at.toISOString()
  }
  if (issues.length) throw new ValidationError('Invalid API token', issues)
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const [row] = await ctx.db.query<{ id: string }>(sql`
    insert into api_tokens (name, token_hash, user_id, roles, expires_at)
    values (${(value.name as string).trim()}, ${hashToken(token)}, ${user.id},
      array(select jsonb_array_elements_text(${JSON.stringify(roles)}::jsonb)), ${expiresAt}::timestamptz)
    returning id`)
  return { id: row.id, name: (value.name as string).trim(), roles, expiresAt, token }
}

/** The caller's API tokens, newest first, revoked ones included. */
export async function listApiTokens(ctx: Pick<Ctx, 'db' | 'user'>): Promise<ApiTokenInfo[]> {
  const user = requireUser(ctx)
  const rows = await ctx.db.query<Record<string, unknown>>(sql`
    select id, name, roles, created_at, expires_at, last_used_at, revoked_at
    from api_tokens where user_id = ${user.id} order by created_at desc, id`)
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    roles: (r.roles as string[]) ?? [],
    createdAt: toIso(r.created_at) as string,
    expiresAt: toIso(r.expires_at),
    lastUsedAt: toIso(r.last_used_at),
    revokedAt: toIso(r.revoked_at),
  }))
}

/** Revokes one of the caller's tokens; every process stops accepting it at once. 404 otherwise. */
export async function revokeApiToken(
  ctx: Pick<Ctx, 'db' | 'user' | 'clock'>,
  id: string,
): Promise<{ tokenHash: string }> {
  const user = requireUser(ctx)
  const rows = UUID.test(id)
    ? await ctx.db.query<{ token_hash: string }>(sql`
        update api_tokens set revoked_at = coalesce(revoked_at, ${ctx.clock.now().toISOString()}::timestamptz)
        where id = ${id} and user_id = ${user.id} returning token_hash`)
    : []
  if (!rows[0])
    throw new NotFoundError('No such token', [{ path: 'id', message: 'no token with this id' }])
  await announceIdentityChange(ctx.db, { tokenHash: rows[0].token_hash })
  return { tokenHash: rows[0].token_hash }
}

/**
 * Revokes every live API token of a user inside the caller's transaction (a password change or
 * reset). No notice of its own: the caller announces `{ userId }`, which evicts the user's cached
 * tokens in every process as well as their sessions.
 */
export async function revokeUserApiTokens(db: Db, userId: string, now: Date): Promise<number> {
  const rows = await db.query<{ id: string }>(sql`
    update api_tokens set revoked_at = ${now.toISOString()}::timestamptz
    where user_id = ${userId}::uuid and revoked_at is null returning id`)
  return rows.length
}

/**
 * The caller behind an API token hash: one query by the unique hash. Roles are the token's roles
 * that the user still holds; a token narrower than the user's roles does not carry `isAdmin`.
 */
export async function resolveApiTokenByHash(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{
  user: CurrentUser
  expiresAt: Date | null
  tokenId: string
  lastUsedAt: Date | null
} | null> {
  const at = now.toISOString()
  const rows = await db.query<
    CurrentUserRow & {
      token_id: string
      token_roles: string[]
      expires_at: unknown
      last_used_at: unknown
    }
  >(sql`
    select ${currentUserColumns}, t.id as token_id, t.roles as token_roles,
      t.expires_at, t.last_used_at
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and t.revoked_at is null and not u.disabled
      and (t.expires_at is null or t.expires_at > ${at}::timestamptz)`)
  const row = rows[0]
  if (!row) return null
  const user = toCurrentUser(row)
  const held = user.roles ?? []
  const granted = row.token_roles ?? []
  user.roles = held.filter((r) => granted.includes(r))
  user.isAdmin = user.isAdmin && held.every((r) => granted.includes(r))
  user.viaToken = row.token_id
  const expiresAt = toIso(row.expires_at)
  const lastUsedAt = toIso(row.last_used_at)
  return {
    user,
    tokenId: row.token_id,
    expiresAt: expiresAt ? new Date(expiresAt) : null,
    lastUsedAt: lastUsedAt ? new Date(lastUsedAt) : null,
  }
}

/** Records that a token was used, unless another request (any process) did in the last minute. */
export async function touchApiToken(db: Db, tokenId: string, now: Date): Promise<void> {
  const before = new Date(now.getTime() - TOKEN_TOUCH_MS).toISOString()
  await db.query(sql`
    update api_tokens set last_used_at = ${now.toISOString()}::timestamptz
    where id = ${tokenId} and (last_used_at is null or last_used_at <= ${before}::timestamptz)`)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function requireUser(ctx: Pick<Ctx, 'user'>): CurrentUser {
  if (!ctx.user) throw new UnauthorizedError('Sign in first')
  return ctx.user
}

function toIso(value: unknown): string | null {
  if (value == null) return null
  return (value instanceof Date ? value : new Date(value as string)).toISOString()
}
