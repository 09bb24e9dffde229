import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { TooManyRequestsError } from '../errors'

/** Tries allowed per username and address within one window. */
export const LOGIN_MAX_FAILURES = 10
/** Tries allowed per username from all addresses together (guesses spread over many hosts). */
export const LOGIN_MAX_PER_USERNAME = 30
/** Tries allowed per address over all usernames (guesses spread over many accounts). */
export const LOGIN_MAX_PER_ADDRESS = 30
/** Length of the counting window: the first try starts it. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000

/** Options of a throttle; tests shorten the window. */
export interface LoginThrottleOptions {
  windowMs?: number
}

/**
 * One counter an attempt is counted under. `forgives`: a success wipes the tries counted before
 * it (the caller proved they know the password); otherwise a success only takes back its own try,
 * so one good account cannot clear an address's guesses at others.
 */
export interface ThrottleKey {
  key: string
  limit: number
  forgives: boolean
}

/** An attempt as counted: each key's count including this attempt, and its window. */
export interface CountedAttempt {
  counts: { key: ThrottleKey; count: number; windowStartedAt: string }[]
}

type ThrottleCtx = Pick<Ctx, 'db' | 'clock'>

/** The keys of a sign-in: username and address, username alone, address alone. */
export function loginThrottleKeys(username: string, clientAddress: string): ThrottleKey[] {
  const name = username.slice(0, 128).toLowerCase()
  return [
    { key: `login:${name}:${clientAddress}`, limit: LOGIN_MAX_FAILURES, forgives: true },
    { key: `login-user:${name}`, limit: LOGIN_MAX_PER_USERNAME, forgives: true },
    { key: `login-address:${clientAddress}`, limit: LOGIN_MAX_PER_ADDRESS, forgives: false },
  ]
}

/** The key of a user's current-password checks. */
export function passwordThrottleKeys(userId: string): ThrottleKey[] {
  return [{ key: `password:${userId}`, limit: LOGIN_MAX_FAILURES, forgives: true }]
}

/**
 * Counts one attempt under every key in one statement, BEFORE the password is checked, and
 * throws 429 (with `retryAfter` seconds) when any count is over its limit. Counting first is what
 * holds under parallel guesses: each gets its own number, and only the first `limit` are checked.
 * Counts live in `login_attempts`, so every API process shares them.
 * @example const attempt = await countLoginAttempt(ctx, loginThrottleKeys(name, address))
 */
export async function countLoginAttempt(
  ctx: ThrottleCtx,
  keys: ThrottleKey[],
  options: LoginThrottleOptions = {},
): Promise<CountedAttempt> {
  const windowMs = options.windowMs ?? LOGIN_WINDOW_MS
  const nowMs = ctx.clock.now().getTime()
  const now = new Date(nowMs).toISOString()
  // Windows that started at or before this instant are over.
  const expired = sql`a.window_started_at <= ${new Date(nowMs - windowMs).toISOString()}::timestamptz`
  // One order for every statement, so two attempts never wait on each other's rows in a cycle.
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const rows = await ctx.db.query<{ key: string; failures: number; started: Date | string }>(sql`
    insert into login_attempts as a (key, failures, window_started_at)
    select k.value, 1, ${now}::timestamptz
    from jsonb_array_elements_text(${JSON.stringify(sorted.map((k) => k.key))}::jsonb)
      with ordinality as k(value, n)
    order by k.n
    on conflict (key) do update set
      failures = case when ${expired} then 1 else a.failures + 1 end,
      window_started_at = case when ${expired} then ${now}::timestamptz
        else a.window_started_at end
    returning a.key, a.failures, a.window_started_at as started`)
  const counts = sorted.map((key) => {
    const row = rows.find((r) => r.key === key.key)!
    return { key, count: row.failures, windowStartedAt: new Date(row.started).toISOString() }
  })
  const over = counts.filter((c) => c.count > c.key.limit)
  if (Math.random() < 1 / 64) await sweepLoginAttempts(ctx, options)
  if (!over.length) return { counts }
  const ends = over.map((c) => Date.parse(c.windowStartedAt) + windowMs)
  const retryAfter = Math.max(1, Math.ceil((Math.max(...ends) - nowMs) / 1000))
  throw new TooManyRequestsError('Too many failed logins: try again later', [], { retryAfter })
}

/**
 * Takes an attempt back, only within the window it was counted in. A success (`proven`, the
 * default) lets keys that forgive drop the tries counted up to this one, the others this one try;
 * an attempt refused before any password was checked (`proven: false`) drops only its own try on
 * every key, so it cannot wipe the guesses before it.
 */
export async function forgiveLoginAttempt(
  ctx: Pick<Ctx, 'db'>,
  attempt: CountedAttempt,
  options: { proven?: boolean } = {},
): Promise<void> {
  const proven = options.proven ?? true
  const rows = attempt.counts.map((c) => ({
    key: c.key.key,
    n: proven && c.key.forgives ? c.count : 1,
    started: c.windowStartedAt,
  }))
  await ctx.db.query(sql`
    update login_attempts a set failures = greatest(a.failures - x.n, 0)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(key text, n integer, started text)
    where a.key = x.key and a.window_started_at = x.started::timestamptz`)
}

/** Deletes the rows whose window is over: they block nothing any more. */
export async function sweepLoginAttempts(
  ctx: ThrottleCtx,
  options: LoginThrottleOptions = {},
): Promise<void> {
  const nowMs = ctx.clock.now().getTime()
  const expiredAt = new Date(nowMs - (options.windowMs ?? LOGIN_WINDOW_MS)).toISOString()
  await ctx.db.query(sql`
    delete from login_attempts where window_started_at <= ${expiredAt}::timestamptz`)
}
