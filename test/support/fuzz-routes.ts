import type { FuzzRequest } from './fuzz-check'
import type { Rng } from './fuzz-random'
import { encodeParam } from './fuzz-reads'
import { ATTACK_STRINGS, EXTREME_DATES, missingUuid, toJsonText } from './fuzz-values'

/** A JSON Schema as the OpenAPI document writes it (only the parts the generator reads). */
interface Schema {
  $ref?: string
  type?: string | string[]
  format?: string
  enum?: unknown[]
  properties?: Record<string, Schema>
  items?: Schema
  oneOf?: Schema[]
  anyOf?: Schema[]
}

/** One operation of the OpenAPI document. */
export interface RouteOperation {
  method: string
  /** The path template, e.g. `/api/meta/{kind}/{id}`. */
  path: string
  query: { name: string; schema: Schema }[]
  body: Schema | null
}

/** What the generator needs besides the document: a token and ids that exist. */
export interface RouteFuzzContext {
  doc: { paths: Record<string, Record<string, unknown>>; components: { schemas: object } }
  token: string
  /** Ids of rows that exist (never the caller's own user), so bodies get past the 404. */
  ids: string[]
}

/** Keys that name something on every JavaScript object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']

/** Every operation the document lists. */
export function listOperations(doc: RouteFuzzContext['doc']): RouteOperation[] {
  const out: RouteOperation[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      const op = raw as {
        parameters?: { in: string; name: string; schema?: Schema; $ref?: string }[]
        requestBody?: { content?: Record<string, { schema?: Schema }> }
      }
      const query = (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, schema: p.schema ?? {} }))
      const body = op.requestBody?.content?.['application/json']?.schema ?? null
      out.push({ method: method.toUpperCase(), path, query, body })
    }
  }
  return out
}

function pathValue(rng: Rng, ctx: RouteFuzzContext): string {
  return rng.pick([
    ...PROTOTYPE_KEYS,
    '%00',
    'a%00b',
    '%C0%AF',
    '%2e%2e',
    '%F0%9F%98%80',
    'x'.repeat(300),
    encodeParam(rng.pick(EXTREME_DATES)),
    encodeParam(rng.pick(ATTACK_STRINGS).slice(0, 300)),
    missingUuid(rng),
    missingUuid(rng).toUpperCase(),
    ...(ctx.ids.length ? [rng.pick(ctx.ids), rng.pick(ctx.ids)] : []),
  ])
}

/** The path with attack values in its parameters, and now and then a prototype key in place of a fixed segment. */
function fuzzPath(rng: Rng, op: RouteOperation, ctx: RouteFuzzContext): string {
  const segments = op.path.split('/')
  const fixed = segments.map((s, i) => (i > 1 && !s.startsWith('{') ? i : -1)).filter((i) => i > 0)
  const swap = fixed.length && rng.chance(0.3) ? rng.pick(fixed) : -1
  return segments
    .map((s, i) => {
      if (i === swap) return rng.pick(PROTOTYPE_KEYS)
      return s.startsWith('{') ? pathValue(rng, ctx) : s
    })
    .join('/')
}

function resolve(schema: Schema, ctx: RouteFuzzContext): Schema {
  if (!schema.$ref) return schema
  const name = schema.$ref.split('/').pop()!
  return ((ctx.doc.components.schemas as Record<string, Schema>)[name] ?? {}) as Schema
}

/** A string an attacker would send: NUL bytes, extreme dates, prototype keys, injections. */
function attackString(rng: Rng): string {
  return rng.pick([...ATTACK_STRINGS, ...EXTREME_DATES, ...EXTREME_DATES, 'a\u0000', '\u0000'])
}

/** A value for `schema`: often wrong or hostile, sometimes plausible (so checks further in run). */
export function fuzzValue(rng: Rng, raw: Schema, ctx: RouteFuzzContext, depth = 0): unknown {
  const schema = resolve(raw, ctx)
  const alternatives = schema.oneOf ?? schema.anyOf
  if (alternatives?.length) return fuzzValue(rng, rng.pick(alternatives), ctx, depth)
  if (rng.chance(0.1)) return rng.pick([null, 1e308, -1, true, [], {}, attackString(rng)])
  const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type
  if (schema.enum?.length && rng.chance(0.5)) return rng.pick(schema.enum)
  switch (type) {
    case 'string':
      if (schema.format === 'uuid' && ctx.ids.length && rng.chance(0.4)) return rng.pick(ctx.ids)
      if (schema.format === 'date-time' || schema.format === 'date')
        return rng.pick([...EXTREME_DATES, '2030-01-01T00:00:00Z', attackString(rng)])
      return rng.chance(0.2) ? `fz-${rng.int(0, 1e6)}` : attackString(rng)
    case 'integer':
    case 'number':
      return rng.pick([0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 1, 1e308, '1'])
    case 'boolean':
      return rng.pick([true, false, 'true', 0])
    case 'array':
      if (depth > 3) return []
      return Array.from({ length: rng.int(0, 3) }, () =>
        fuzzValue(rng, schema.items ?? {}, ctx, depth + 1),
      )
    case 'object':
    default: {
      if (depth > 3 || (!schema.properties && type !== 'object')) return attackString(rng)
      const out: Record<string, unknown> = {}
      for (const [name, prop] of Object.entries(schema.properties ?? {}))
        if (rng.chance(0.75)) out[name] = fuzzValue(rng, prop, ctx, depth + 1)
      if (rng.chance(0.15)) out[rng.pick(PROTOTYPE_KEYS)] = attackString(rng)
      return out
    }
  }
}

/**
 * One request to `op`: attack values in path parameters, query parameters and every string of
 * the body. The caller is the admin (logout goes without the token, so the run keeps it).
 */
export function routeRequest(rng: Rng, op: RouteOperation, ctx: RouteFuzzContext): FuzzRequest {
  const params: string[] = []
  for (const q of op.query)
    if (rng.chance(0.5)) {
      const value = fuzzValue(rng, q.schema, ctx)
      params.push(
        `${q.name}=${encodeParam(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`,
      )
    }
  if (rng.chance(0.1)) params.push(`${rng.pick(PROTOTYPE_KEYS)}=%00`)
  const headers: Record<string, string> = {}
  if (op.path !== '/api/auth/logout') headers.authorization = `Bearer ${ctx.token}`
  let body: string | undefined
  if (op.body) {
    headers['content-type'] = rng.chance(0.08) ? 'text/plain' : 'application/json'
    body = toJsonText(fuzzValue(rng, op.body, ctx))
  }
  const query = params.length ? `?${params.join('&')}` : ''
  return {
    method: op.method,
    path: fuzzPath(rng, op, ctx) + query,
    headers,
    body,
    blame: [],
    mayWrite: true,
  }
}

/** A value `schema` likely accepts, so a request gets as far as the one hostile part. */
function plausibleValue(raw: Schema, ctx: RouteFuzzContext, depth = 0): unknown {
  const schema = resolve(raw, ctx)
  const alternatives = schema.oneOf ?? schema.anyOf
  if (alternatives?.length) return plausibleValue(alternatives[0], ctx, depth)
  if (schema.enum?.length) return schema.enum[0]
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  if (type === 'string') {
    if (schema.format === 'uuid') return ctx.ids[0] ?? '00000000-0000-4000-8000-000000000000'
    if (schema.format === 'date-time') return '2030-01-01T00:00:00Z'
    if (schema.format === 'date') return '2030-01-01'
    return 'fz-plausible'
  }
  if (type === 'integer' || type === 'number') return 1
  if (type === 'boolean') return false
  if (type === 'array') return []
  if (depth > 2 || !schema.properties) return type === 'object' ? {} : 'fz-plausible'
  return Object.fromEntries(
    Object.entries(schema.properties).map(([k, v]) => [k, plausibleValue(v, ctx, depth + 1)]),
  )
}

/** The paths (`a.b`) of the string properties of a body schema, two levels deep. */
function stringPaths(raw: Schema, ctx: RouteFuzzContext, prefix = '', depth = 0): string[] {
  const schema = resolve(raw, ctx)
  const out: string[] = []
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const p = resolve(prop, ctx)
    const types = Array.isArray(p.type) ? p.type : [p.type]
    if (types.includes('string') || p.enum) out.push(prefix + name)
    else if (p.properties && depth < 1) out.push(...stringPaths(p, ctx, `${prefix}${name}.`, 1))
  }
  return out
}

function setPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.')
  if (!rest.length) body[head] = value
  else {
    const inner = (body[head] && typeof body[head] === 'object' ? body[head] : {}) as Record<
      string,
      unknown
    >
    body[head] = inner
    setPath(inner, rest.join('.'), value)
  }
}

/** The hostile strings every path segment, query parameter and body string gets in the sweep. */
const SWEEP_STRINGS = ['a\u0000b', '+275760-09-13T00:00:00Z', '-271821-04-20', '__proto__']

/**
 * Requests that leave nothing to chance: each path segment in turn a prototype key or NUL, each
 * query parameter and each string of the body in turn NUL, an extreme date or a prototype key,
 * the rest of the request plausible.
 */
export function sweepRequests(op: RouteOperation, ctx: RouteFuzzContext): FuzzRequest[] {
  const out: FuzzRequest[] = []
  const segments = op.path.split('/')
  const plainSegments = segments.map((s) =>
    s.startsWith('{') ? (ctx.ids[0] ?? '00000000-0000-4000-8000-000000000000') : s,
  )
  const query = op.query.map((q) => {
    const v = plausibleValue(q.schema, ctx)
    return [q.name, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]
  })
  const body = op.body ? plausibleValue(op.body, ctx) : undefined
  const request = (path: string[], params: [string, string][], payload: unknown): FuzzRequest => {
    const headers: Record<string, string> = {}
    if (op.path !== '/api/auth/logout') headers.authorization = `Bearer ${ctx.token}`
    if (payload !== undefined) headers['content-type'] = 'application/json'
    const search = params.length
      ? `?${params.map(([k, v]) => `${k}=${encodeParam(v)}`).join('&')}`
      : ''
    return {
      method: op.method,
      path: path.join('/') + search,
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
      blame: [],
      mayWrite: true,
    }
  }
  for (let i = 2; i < segments.length; i++) {
    const keys = segments[i].startsWith('{') ? [...PROTOTYPE_KEYS, '%00'] : ['__proto__', '%00']
    for (const key of keys) {
      const path = [...plainSegments]
      path[i] = key
      out.push(request(path, query, body))
    }
  }
  // One parameter at a time, alone: another one's plausible value could be refused first.
  for (const [name] of query)
    for (const value of SWEEP_STRINGS) out.push(request(plainSegments, [[name, value]], body))
  if (op.body)
    for (const path of stringPaths(op.body, ctx))
      for (const value of SWEEP_STRINGS) {
        const payload = structuredClone(body) as Record<string, unknown>
        setPath(payload, path, value)
        out.push(request(plainSegments, query, payload))
      }
  return out
}
