import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { TooManyRequestsError } from '../errors'

/** Failed tries allowed per key within one window. */
export const LOGIN_MAX_FAILURES = 10
/** Length of the counting window: the first failure starts it. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000

/** Limits of a throttle; the defaults are LOGIN_MAX_FAILURES per LOGIN_WINDOW_MS. */
export interface LoginThrottleOptions {
  maxFailures?: number
  windowMs?: number
}

type ThrottleCtx = Pick<Ctx, 'db' | 'clock'>

/** The throttle key of a sign-in: lower-cased username (at most 128 characters) and address. */
export function loginThrottleKey(username: string, clientAddress: string): string {
  return `login:${username.slice(0, 128).toLowerCase()}:${clientAddress}`
}

/** The throttle key of a user's current-password checks. */
export function passwordThrottleKey(userId: string): string {
  return `password:${userId}`
}

/**
 * Throws 429 (with `retryAfter` seconds) while `key` has used up its failures in the window.
 * Counts live in `login_attempts`, so every API process sees the same ones.
 */
export async function assertLoginAllowed(ctx: ThrottleCtx, key: string): Promise<void> {
  const now = ctx.clock.now()
  const [row] = await ctx.db.query<{ blocked_until: Date | string }>(sql`
    select blocked_until from login_attempts
    where key = ${key} and blocked_until > ${now.toISOString()}::timestamptz`)
  if (!row) return
  const retryAfter = Math.ceil((new Date(row.blocked_until).getTime() - now.getTime()) / 1000)
  throw new TooManyRequestsError('Too many failed logins: try again later', [], { retryAfter })
}

/**
 * Counts one failure of `key` in one statement: a fresh window when the last one is over,
 * and `blocked_until` set to the window's end once the failures reach the limit.
 */
export async function recordLoginFailure(
  ctx: ThrottleCtx,
  key: string,
  options: LoginThrottleOptions = {},
): Promise<void> {
  const maxFailures = options.maxFailures ?? LOGIN_MAX_FAILURES
  const windowMs = options.windowMs ?? LOGIN_WINDOW_MS
  const nowMs = ctx.clock.now().getTime()
  const now = new Date(nowMs).toISOString()
  const freshEnd = new Date(nowMs + windowMs).toISOString()
  // Windows that started at or before this instant are over.
  const expiredAt = new Date(nowMs - windowMs).toISOString()
  const expired = sql`login_attempts.window_started_at <= ${expiredAt}::timestamptz`
  await ctx.db.query(sql`
    insert into login_attempts (key, failures, window_started_at, blocked_until)
    values (${key}, 1, ${now}::timestamptz,
      case when 1 >= ${maxFailures}::integer then ${freshEnd}::timestamptz end)
    on conflict (key) do update set
      failures = case when ${expired} then 1 else login_attempts.failures + 1 end,
      window_started_at = case when ${expired} then ${now}::timestamptz
        else login_attempts.window_started_at end,
      blocked_until = case
        when ${expired} then case when 1 >= ${maxFailures}::integer then ${freshEnd}::timestamptz end
        when login_attempts.failures + 1 >= ${maxFailures}::integer
          then login_attempts.window_started_at + ${windowMs}::integer * interval '1 millisecond'
      end`)
  // Keys are made from whatever usernames are tried: sweep finished windows now and then, so
  // the table stays as small as the attacks that are still running.
  if (Math.random() < 1 / 64) await sweepLoginAttempts(ctx, options)
}

/** Deletes the rows whose window is over and which block nothing any more. */
export async function sweepLoginAttempts(
  ctx: ThrottleCtx,
  options: LoginThrottleOptions = {},
): Promise<void> {
  const nowMs = ctx.clock.now().getTime()
  const expiredAt = new Date(nowMs - (options.windowMs ?? LOGIN_WINDOW_MS)).toISOString()
  await ctx.db.query(sql`
    delete from login_attempts
    where window_started_at <= ${expiredAt}::timestamptz
      and (blocked_until is null or blocked_until <= ${new Date(nowMs).toISOString()}::timestamptz)`)
}

/** Forgets the failures of `key` (after a success). */
export async function clearLoginFailures(ctx: Pick<Ctx, 'db'>, key: string): Promise<void> {
  await ctx.db.query(sql`delete from login_attempts where key = ${key}`)
}
