import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { FuzzRequest } from './fuzz-check'
import type { Rng } from './fuzz-random'
import { ATTACK_STRINGS, emptyValue, invalidValue, missingUuid, toJsonText } from './fuzz-values'

/** An entity under fuzz: its definition, child entities, existing records and a valid body. */
export interface FuzzTarget {
  entity: Entity
  /** Child entity per childTable field name. */
  children: Map<string, Entity>
  /** Records that exist (their version does not change: every fuzz write is refused). */
  samples: { id: string; version: number; record: Record<string, unknown> }[]
  /** A valid create body; unique and blocking-dedup values are fresh for each `n`. */
  validBody(n: number): Record<string, unknown>
}

/** Body limit of the app (server/app.ts MAX_BODY_BYTES). */
const MAX_BODY = 1024 * 1024
const SYSTEM_KEYS = ['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy']
const UNKNOWN_KEYS = [
  'zzz',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'name; drop table customer; --',
  '"',
  "'",
  '$1',
  'ＮＡＭＥ',
  '😀',
  'a.b',
  'lines[0]',
  ' name',
  'Name',
  'position',
  'parentId',
  'related',
  'warnings',
  '',
]

const MALFORMED = [
  '{',
  '{"a":}',
  "{'a':1}",
  '{"a":1,}',
  'NaN',
  '{"a":NaN}',
  '{"a":undefined}',
  '\u0000',
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  '\ufeff{',
  '[',
  'null',
  '[]',
  '[{}]',
  '"str"',
  '42',
  'true',
  ' ',
  '',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"',
  '['.repeat(50000) + ']'.repeat(50000),
]

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', '']

/** Sets an own key, even `__proto__` (plain assignment would set the prototype instead). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

/** A field of `entity` a client may write a value for (child tables apart). */
function plainFields(entity: Entity): Field[] {
  return entity.fields.filter((f) => f.type !== 'childTable')
}

/** Groups of fields another record must not share: unique fields, blocking dedup rules. */
function uniqueGroups(entity: Entity): string[][] {
  const unique = entity.fields.filter((f) => f.unique && f.type !== 'user').map((f) => [f.name])
  const rules = (entity.dedup ?? []).filter((r) => r.action === 'block').map((r) => r.fields)
  return [...unique, ...rules]
}

/** Copies another record's unique values into the body (a 409); null when no record has them. */
function conflict(rng: Rng, t: FuzzTarget, body: Record<string, unknown>, selfId?: string) {
  const groups = uniqueGroups(t.entity)
  if (!groups.length) return null
  const group = rng.pick(groups)
  const other = t.samples.find(
    (s) => s.id !== selfId && group.every((f) => s.record[f] !== null && s.record[f] !== ''),
  )
  if (!other) return null
  for (const f of group) body[f] = other.record[f]
  return group[0]
}

/** One certainly-invalid change to a record body; returns the part it blames. */
function mutate(
  rng: Rng,
  t: FuzzTarget,
  body: Record<string, unknown>,
  create: boolean,
  selfId?: string,
): string {
  if (rng.chance(0.05)) {
    const blamed = conflict(rng, t, body, selfId)
    if (blamed) return blamed
  }
  const fields = plainFields(t.entity)
  const required = fields.filter((f) => f.required)
  const tables = t.entity.fields.filter((f) => f.type === 'childTable')
  const roll = rng.next()
  if (roll < 0.55 || (roll < 0.85 && !tables.length)) {
    const field = rng.pick(fields)
    body[field.name] = invalidValue(rng, field)
    return field.name
  }
  if (roll < 0.65 && required.length) {
    const field = rng.pick(required)
    if (create && rng.chance(0.3)) delete body[field.name]
    else body[field.name] = emptyValue(rng)
    return field.name
  }
  if (roll < 0.77) {
    const key = rng.pick(UNKNOWN_KEYS)
    setKey(body, key, rng.pick<unknown>([1, 'x', null, { a: 1 }, ATTACK_STRINGS[0]]))
    // null for an unknown key is still an unknown key; the empty key is named `[""]`
    return key === '' ? '[""]' : key
  }
  if (roll < 0.85 || !tables.length) {
    const key = rng.pick(SYSTEM_KEYS)
    body[key] = key === 'id' || key.endsWith('By') ? missingUuid(rng) : rng.pick(['x', 1, {}])
    return key
  }
  const table = rng.pick(tables)
  body[table.name] = invalidRows(rng, t, table, body[table.name])
  return table.name
}

/** Child rows of `table` that are certainly refused. */
function invalidRows(rng: Rng, t: FuzzTarget, table: Field, current: unknown): unknown {
  const child = t.children.get(table.name)!
  const rows = Array.isArray(current) && current.length ? current : null
  const valid = rows?.[0] as Record<string, unknown> | undefined
  const roll = rng.next()
  if (!valid || roll < 0.25) return invalidValue(rng, table)
  if (roll < 0.35) return Array.from({ length: 1001 }, () => ({ ...valid }))
  const bad = { ...valid }
  const fields = plainFields(child)
  const required = fields.filter((f) => f.required)
  if (roll < 0.5 && required.length) bad[rng.pick(required).name] = emptyValue(rng)
  else if (roll < 0.6) setKey(bad, rng.pick(UNKNOWN_KEYS.filter((k) => k !== 'position')), 1)
  else {
    // Computed and read-only child values are dropped on save, so they would not be refused.
    const writable = fields.filter(
      (f) => !f.readOnly && f.type !== 'formula' && f.type !== 'autoNumber',
    )
    const field = rng.pick(writable)
    bad[field.name] = invalidValue(rng, field)
  }
  const out = [...rows!]
  out.splice(rng.int(0, out.length), 0, bad)
  return out
}

function jsonHeaders(rng: Rng, token: string): Record<string, string> {
  const type = rng.pick(CONTENT_TYPES)
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (type) headers['content-type'] = type
  return headers
}

/** A body over (or just under) the 1 MB limit in one text field. */
function hugeBody(rng: Rng, t: FuzzTarget, body: Record<string, unknown>): FuzzRequest['blame'] {
  const texts = plainFields(t.entity).filter((f) =>
    ['text', 'longText', 'richText'].includes(f.type),
  )
  if (!texts.length) texts.push({ name: 'zzz' } as Field)
  const field = rng.pick(texts)
  body[field.name] = ''
  const room = MAX_BODY - Buffer.byteLength(JSON.stringify(body))
  const over = rng.chance(0.5)
  body[field.name] = 'x'.repeat(over ? room + rng.int(1, 1000) : room - rng.int(1, 1000))
  return over ? ['body'] : [field.name]
}

/** A POST /api/data/:entity that must be refused. */
export function invalidCreate(rng: Rng, t: FuzzTarget, token: string, n: number): FuzzRequest {
  const path = `/api/data/${t.entity.id}`
  const headers = jsonHeaders(rng, token)
  const roll = rng.next()
  if (roll < 0.08)
    return { method: 'POST', path, headers, body: rng.pick(MALFORMED), blame: ['body'] }
  if (roll < 0.1) {
    const param = rng.pick(['x', 'filter', 'version', '__proto__', 'id'])
    const body = JSON.stringify(t.validBody(n))
    return { method: 'POST', path: `${path}?${param}=1`, headers, body, blame: [param] }
  }
  const body = t.validBody(n)
  if (roll < 0.13) {
    const blame = hugeBody(rng, t, body)
    return { method: 'POST', path, headers, body: JSON.stringify(body), blame }
  }
  const blame = new Set<string>()
  for (let i = rng.int(1, 3); i > 0; i--) blame.add(mutate(rng, t, body, true))
  return { method: 'POST', path, headers, body: toJsonText(body), blame: [...blame] }
}

const GARBAGE_IF_MATCH = ['abc', '"x"', '*', '3.5', '"1", "2"', '99999999999', '"-1"', '', 'W/']

/** A PATCH /api/data/:entity/:id that must be refused. */
export function invalidPatch(rng: Rng, t: FuzzTarget, token: string): FuzzRequest {
  const sample = rng.pick(t.samples)
  const headers = jsonHeaders(rng, token)
  const body: Record<string, unknown> = {}
  if (rng.chance(0.3)) {
    // Echo a few unchanged values, as clients that send the whole record do.
    for (const f of t.entity.fields) if (rng.chance(0.3)) body[f.name] = sample.record[f.name]
  }
  const blame = new Set<string>()
  let id = sample.id
  const roll = rng.next()
  const stale = sample.version + rng.int(1, 100)
  if (roll < 0.4) headers['if-match'] = `"${sample.version}"`
  else if (roll < 0.55) {
    headers['if-match'] = rng.chance(0.5) ? `"${stale}"` : String(stale)
    blame.add('version')
  } else if (roll < 0.65) {
    headers['if-match'] = rng.pick(GARBAGE_IF_MATCH)
    blame.add('If-Match')
  } else if (roll < 0.72) blame.add('version')
  else if (roll < 0.77) {
    body.version = rng.pick<unknown>(['1', 1.5, -1, {}, true, 1e12])
    blame.add('version')
  } else if (roll < 0.82) {
    headers['if-match'] = `"${sample.version}"`
    body.version = stale
    blame.add('version')
  } else body.version = sample.version
  if (rng.chance(0.08)) {
    id = rng.pick([missingUuid(rng), 'abc', '1', `${sample.id}x`, sample.id.slice(1)])
    blame.add('id')
  }
  const path = `/api/data/${t.entity.id}/${id}`
  if (rng.chance(0.06))
    return { method: 'PATCH', path, headers, body: rng.pick(MALFORMED), blame: [...blame, 'body'] }
  // A stale or missing version alone is enough; otherwise at least one bad value.
  const needsBadValue = !blame.size || rng.chance(0.6)
  if (needsBadValue)
    for (let i = rng.int(1, 3); i > 0; i--) blame.add(mutate(rng, t, body, false, sample.id))
  return { method: 'PATCH', path, headers, body: toJsonText(body), blame: [...blame] }
}

/** A DELETE /api/data/:entity/:id that must be refused (wrong id, missing or stale version). */
export function invalidDelete(rng: Rng, t: FuzzTarget, token: string): FuzzRequest {
  const sample = rng.pick(t.samples)
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  const roll = rng.next()
  let id = sample.id
  const blame: string[] = []
  if (roll < 0.3) {
    id = rng.pick([missingUuid(rng), 'abc', '0', encodeURIComponent("' or 1=1 --")])
    headers['if-match'] = `"${sample.version}"`
    blame.push('id')
  } else if (roll < 0.5) blame.push('version')
  else if (roll < 0.75) {
    headers['if-match'] = `"${sample.version + rng.int(1, 50)}"`
    blame.push('version')
  } else if (roll < 0.9) {
    headers['if-match'] = rng.pick(GARBAGE_IF_MATCH)
    blame.push('If-Match')
  } else {
    headers['if-match'] = `"${sample.version}"`
    const param = rng.pick(['force', 'cascade', 'version'])
    return {
      method: 'DELETE',
      path: `/api/data/${t.entity.id}/${id}?${param}=true`,
      headers,
      blame: [param],
    }
  }
  return { method: 'DELETE', path: `/api/data/${t.entity.id}/${id}`, headers, blame }
}
