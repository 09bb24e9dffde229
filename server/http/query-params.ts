import type { Context } from 'hono'
import { BadRequestError, ValidationError } from '../../runtime/errors'
import { queryWords } from './query-param-texts'

/**
 * The query parameters of a request, refusing any name outside `allowed` and any repeated name
 * with 400 naming it, in `locale` (the caller's; English when not given).
 */
export function readQuery(
  c: Context,
  allowed: readonly string[],
  locale?: string,
): Record<string, string> {
  const url = c.req.url
  const at = url.indexOf('?')
  const out: Record<string, string> = {}
  if (at < 0) return out
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    if (!allowed.includes(name)) {
      const w = queryWords(locale)
      const hint = allowed.length
        ? w('unknownAllowed', { allowed: allowed.join(', ') })
        : w('unknownNone')
      // A parameter without a name (`?=1`) is blamed on the query string as a whole.
      throw new BadRequestError(w('unknown', { name }), [{ path: name || 'query', message: hint }])
    }
    if (Object.hasOwn(out, name)) {
      const w = queryWords(locale)
      throw new BadRequestError(w('repeated', { name }), [
        { path: name, message: w('repeatedField') },
      ])
    }
    // PostgreSQL text cannot hold NUL: every route refuses it here, naming the parameter.
    if (value.includes('\u0000')) {
      const w = queryWords(locale)
      throw new BadRequestError(w('nul', { name }), [{ path: name, message: w('nulField') }])
    }
    out[name] = value
  }
  return out
}

/** `true` / `false` or 400 naming the parameter (in `locale`, the caller's). */
export function toBooleanParam(
  name: string,
  value: string | undefined,
  locale?: string,
): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'true') return true
  if (value === 'false') return false
  const w = queryWords(locale)
  throw new BadRequestError(w('notBoolean', { name }), [
    { path: name, message: w('notBooleanField') },
  ])
}

/** A positive integer or 400 naming the parameter (in `locale`, the caller's). */
export function toPositiveIntParam(
  name: string,
  value: string | undefined,
  locale?: string,
): number | undefined {
  if (value === undefined) return undefined
  const n = /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN
  if (!(n >= 1)) {
    const w = queryWords(locale)
    throw new BadRequestError(w('notPositiveInt', { name }), [
      { path: name, message: w('notPositiveIntField') },
    ])
  }
  return n
}

/**
 * Parsed JSON or 400 naming the parameter, in `locale` (the caller's), with the parser's reason.
 */
export function toJsonParam(name: string, value: string | undefined, locale?: string): unknown {
  if (value === undefined) return undefined
  try {
    return JSON.parse(value)
  } catch (err) {
    const w = queryWords(locale)
    throw new BadRequestError(w('notJson', { name }), [
      { path: name, message: w('notJsonField', { reason: (err as Error).message }) },
    ])
  }
}

/**
 * The value of a required parameter, or 422 naming it in `locale` (the caller's).
 * @example const entity = requireParam(q, 'entity', 'ko')
 */
export function requireParam(q: Record<string, string>, name: string, locale?: string): string {
  if (q[name]) return q[name]
  const w = queryWords(locale)
  throw new ValidationError(w('required', { name }), [{ path: name, message: w('requiredField') }])
}
