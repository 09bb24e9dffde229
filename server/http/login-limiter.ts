import { TooManyRequestsError } from '../../runtime/errors'

export interface LoginLimiterOptions {
  /** Failed logins allowed per key within the window (default 10). */
  maxFailures?: number
  /** Window length in ms (default 15 minutes). */
  windowMs?: number
  /** Keys kept in memory at most; expired ones are dropped first (default 10,000). */
  maxKeys?: number
}

/** Counts failed logins per key (client address + username) and refuses further tries. */
export interface LoginLimiter {
  /** Throws 429 while `key` is over its failures. */
  assertAllowed(key: string, now: number): void
  recordFailure(key: string, now: number): void
  reset(key: string): void
}

/**
 * An in-process limiter: each process counts on its own, which still bounds guessing to
 * processes × maxFailures per window without a shared store.
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 10
  const windowMs = options.windowMs ?? 15 * 60 * 1000
  const maxKeys = options.maxKeys ?? 10_000
  const failures = new Map<string, { count: number; resetAt: number }>()
  const prune = (now: number) => {
    for (const [key, entry] of failures) if (entry.resetAt <= now) failures.delete(key)
    // Still full: forget the oldest entries (Map keeps insertion order).
    for (const key of failures.keys()) {
      if (failures.size < maxKeys) break
      failures.delete(key)
    }
  }
  return {
    assertAllowed(key, now) {
      const entry = failures.get(key)
      if (!entry || entry.resetAt <= now || entry.count < maxFailures) return
      const retryAfter = Math.ceil((entry.resetAt - now) / 1000)
      throw new TooManyRequestsError('Too many failed logins: try again later', [], { retryAfter })
    },
    recordFailure(key, now) {
      const entry = failures.get(key)
      if (entry && entry.resetAt > now) entry.count++
      else {
        if (failures.size >= maxKeys) prune(now)
        failures.set(key, { count: 1, resetAt: now + windowMs })
      }
    },
    reset(key) {
      failures.delete(key)
    },
  }
}
