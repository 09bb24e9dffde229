import type { SQL } from 'drizzle-orm'
import type { CurrentUser } from '../context'

// These operators fold the clock into the compiled SQL: such filters are compiled every time.
const CLOCK_OPS = new Set(['today', 'now'])

/**
 * Compiled row filters, per rule of the published metadata → caller → table alias. compileFilter
 * folds the `$user` values into the SQL (its shape depends on them: null, lists, types), so the
 * SQL cannot be shared between users; it is kept per CurrentUser object instead. Sessions are
 * cached per process and reloaded as a new object on any org change, so an entry can never
 * outlive the values it was compiled with, and both levels are weak: a new metadata version or
 * an evicted session frees its entries.
 */
const compiled = new WeakMap<object, WeakMap<CurrentUser, Map<string, SQL>>>()

/** Whether a rule reads the clock (`today`, `now`) anywhere. */
export function readsClock(rule: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return false
  if (Array.isArray(rule)) return rule.some(readsClock)
  return Object.entries(rule as Record<string, unknown>).some(
    ([op, arg]) => CLOCK_OPS.has(op) || readsClock(arg),
  )
}

/** The filter compiled by `compile`, from the cache when this caller compiled it before. */
export function cachedFilter(
  rule: unknown,
  user: CurrentUser,
  key: string,
  compile: () => SQL,
): SQL {
  if (rule === null || typeof rule !== 'object' || readsClock(rule)) return compile()
  let perRule = compiled.get(rule)
  if (!perRule) compiled.set(rule, (perRule = new WeakMap()))
  let perUser = perRule.get(user)
  if (!perUser) perRule.set(user, (perUser = new Map()))
  let found = perUser.get(key)
  if (!found) perUser.set(key, (found = compile()))
  return found
}
