import type { Context } from 'hono'
import { BadRequestError } from '../../runtime/errors'

/**
 * The query parameters of a request, refusing any name outside `allowed` and any repeated name
 * with 400 naming it.
 */
export function readQuery(c: Context, allowed: readonly string[]): Record<string, string> {
  const url = c.req.url
  const at = url.indexOf('?')
  const out: Record<string, string> = {}
  if (at < 0) return out
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    if (!allowed.includes(name)) {
      const hint = allowed.length ? `allowed: ${allowed.join(', ')}` : 'no parameters allowed'
      // A parameter without a name (`?=1`) is blamed on the query string as a whole.
      throw new BadRequestError(`Unknown query parameter '${name}'`, [
        { path: name || 'query', message: `unknown parameter (${hint})` },
      ])
    }
    if (Object.hasOwn(out, name)) {
      throw new BadRequestError(`Query parameter '${name}' is repeated`, [
        { path: name, message: 'given more than once' },
      ])
    }
    // PostgreSQL text cannot hold NUL: every route refuses it here, naming the parameter.
    if (value.includes('\u0000')) {
      throw new BadRequestError(`Query parameter '${name}' contains a NUL character`, [
        { path: name, message: 'must not contain a NUL character' },
      ])
    }
    out[name] = value
  }
  return out
}

/** `true` / `false` or 400 naming the parameter. */
export function toBooleanParam(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'true') return true
  if (value === 'false') return false
  throw new BadRequestError(`'${name}' must be true or false`, [
    { path: name, message: 'must be true or false' },
  ])
}

/** A positive integer or 400 naming the parameter. */
export function toPositiveIntParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN
  if (!(n >= 1)) {
    throw new BadRequestError(`'${name}' must be a positive integer`, [
      { path: name, message: 'must be a positive integer' },
    ])
  }
  return n
}

/** Parsed JSON or 400 naming the parameter. */
export function toJsonParam(name: string, value: string | undefined): unknown {
  if (value === undefined) return undefined
  try {
    return JSON.parse(value)
  } catch (err) {
    throw new BadRequestError(`'${name}' is not valid JSON`, [
      { path: name, message: (err as Error).message },
    ])
  }
}
