import type { Entity } from '../../metadata/entity'
import type { FuzzRequest } from './fuzz-check'
import type { Rng } from './fuzz-random'
import { ATTACK_STRINGS, EXTREME_DATES, missingUuid } from './fuzz-values'
import type { FuzzTarget } from './fuzz-writes'

const OPS = [
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '>',
  '<=',
  '>=',
  'in',
  'and',
  'or',
  '!',
  '!!',
  'missing',
  'missing_some',
  'cat',
  'substr',
  '+',
  '-',
  '*',
  '/',
  '%',
  'max',
  'min',
  'some',
  'all',
  'none',
  'merge',
  'if',
  '?:',
  'map',
  'filter',
  'reduce',
  'today',
  'now',
  'date_add',
  'date_diff',
  'length',
  'method',
  'log',
  'startsWith',
  'like',
  '$where',
]

const LITERALS: readonly unknown[] = [
  ...ATTACK_STRINGS.slice(0, 30),
  ...EXTREME_DATES,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2147483648,
  9007199254740993,
  true,
  false,
  null,
  [],
  [1, 'a', null],
  '2024-01-01',
  '2024-02-30',
  '0000-01-01',
  '2024-01-01T00:00:00Z',
  '2024-06-30T23:59:60Z',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  'day',
  'fortnight',
]

/** Var paths: the entity's fields, their parts, system keys and names that are not fields. */
function varPaths(entity: Entity): string[] {
  const own = entity.fields.flatMap((f) => {
    const sub = f.type === 'money' ? [`${f.name}.amount`, `${f.name}.currency`, `${f.name}.x`] : []
    const ref = f.type === 'reference' ? [`${f.name}.name`, `${f.name}.id`] : []
    return [f.name, ...sub, ...ref, `${f.name}.0`]
  })
  return [
    ...own,
    'id',
    'createdAt',
    'version',
    '$user.id',
    '$user',
    '',
    ...ATTACK_STRINGS.slice(0, 12),
  ]
}

/** A random json-logic tree over the entity's fields; often nonsense, sometimes valid. */
export function randomRule(rng: Rng, entity: Entity, depth = 0): unknown {
  const paths = varPaths(entity)
  if (depth > 3 || rng.chance(0.3)) {
    if (rng.chance(0.5))
      return { var: rng.chance(0.9) ? rng.pick(paths) : [rng.pick(paths), rng.pick(LITERALS)] }
    return rng.pick(LITERALS)
  }
  const op = rng.pick(OPS)
  const args = Array.from({ length: rng.int(0, 3) }, () => randomRule(rng, entity, depth + 1))
  if (rng.chance(0.6) && args.length) args[0] = { var: rng.pick(paths) }
  return { [op]: rng.chance(0.9) ? args : (args[0] ?? null) }
}

/** A filter parameter: malformed JSON, non-rules, over-deep or over-large rules, random rules. */
function filterParam(rng: Rng, entity: Entity): string {
  const roll = rng.next()
  if (roll < 0.1)
    return rng.pick(['{', '{oops}', 'NaN', '', '{"==":[1,1]}x', '\u0000', "' or 1=1 --"])
  if (roll < 0.2)
    return JSON.stringify(
      rng.pick<unknown>([42, 'str', [], [1, 2], null, true, {}, { a: 1, b: 2 }]),
    )
  if (roll < 0.25) {
    let deep: unknown = { var: entity.fields[0].name }
    for (let i = 0; i < 40; i++) deep = { '!': [deep] }
    return JSON.stringify(deep)
  }
  if (roll < 0.28) {
    const many = Array.from({ length: 2100 }, (_, i) => ({ '==': [{ var: 'id' }, i] }))
    return JSON.stringify({ or: many.slice(0, 700) })
  }
  if (roll < 0.55) {
    const field = rng.pick(entity.fields)
    const op = rng.pick(['==', '!=', '<', '>=', 'in'])
    const value = op === 'in' ? [rng.pick(LITERALS), rng.pick(LITERALS)] : rng.pick(LITERALS)
    return JSON.stringify({ [op]: [{ var: field.name }, value] })
  }
  return JSON.stringify(randomRule(rng, entity))
}

function sortParam(rng: Rng, entity: Entity): string {
  const names = entity.fields.map((f) => f.name)
  return rng.pick([
    ...ATTACK_STRINGS.slice(0, 20),
    rng.pick(names),
    `-${rng.pick(names)}`,
    `${rng.pick(names)},${rng.pick(names)}`,
    'createdAt,createdAt',
    'a,b,c,d,e,f',
    '-',
    '--createdAt',
    '+-id',
    ',',
    'createdAt desc',
    '-createdAt',
    'id',
    'updatedAt,-id',
    'createdAt;drop table x',
  ])
}

function cursorParam(rng: Rng): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const id = missingUuid(rng)
  return rng.pick([
    'abc',
    '!!!',
    '',
    b64(['-createdAt', ['not a date'], id]),
    b64(['-createdAt', ['2024-01-01T00:00:00Z'], 'not-a-uuid']),
    b64(['-createdAt', ['\u0000'], id]),
    b64(['-createdAt', [null], id]),
    b64(['-createdAt', [], id]),
    b64(['name', ['x'], id]),
    b64(['-createdAt', ['2024-13-45T99:00:00Z'], id]),
    b64(['-createdAt', [1], id]),
    b64({ sort: '-createdAt' }),
    b64(['-createdAt', ['x'.repeat(2000)], id]),
    b64(['-createdAt', ['0000-01-01T00:00:00Z'], id]),
    Buffer.from('\u0000\u0001garbage').toString('base64url'),
  ])
}

/** Percent-encodes like encodeURIComponent; a lone surrogate becomes the bytes of one (not UTF-8). */
export function encodeParam(text: string): string {
  return [...text]
    .map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
    .join('')
}

/** A GET /api/data/:entity with garbage (and some valid) list parameters. */
export function listRequest(rng: Rng, t: FuzzTarget, token: string): FuzzRequest {
  const params: [string, string][] = []
  for (let i = rng.pick([1, 1, 1, 2, 2, 3, 4]); i > 0; i--) {
    const name = rng.pick(['filter', 'filter', 'sort', 'limit', 'cursor', 'count', 'unknown'])
    if (name === 'filter') params.push(['filter', filterParam(rng, t.entity)])
    else if (name === 'sort') params.push(['sort', sortParam(rng, t.entity)])
    else if (name === 'limit')
      params.push([
        'limit',
        rng.pick([
          '0',
          '-1',
          '501',
          'abc',
          '1e3',
          '',
          '1.5',
          '99999999999',
          '500',
          '5',
          '%00',
          ' 5',
        ]),
      ])
    else if (name === 'cursor') params.push(['cursor', cursorParam(rng)])
    else if (name === 'count')
      params.push(['count', rng.pick(['yes', '1', 'TRUE', '', 'true', 'false'])])
    else
      params.push([
        rng.pick([
          'colour',
          'filter[]',
          'q',
          '__proto__',
          'constructor',
          'page',
          'offset',
          'SORT',
          '',
        ]),
        '1',
      ])
  }
  const query = params.map(([k, v]) => `${encodeParam(k)}=${encodeParam(v)}`).join('&')
  const blame = [...new Set(params.map(([k]) => k || 'query'))]
  return {
    method: 'GET',
    path: `/api/data/${t.entity.id}?${query}`,
    headers: { authorization: `Bearer ${token}` },
    blame,
  }
}

const GARBAGE_IDS = [
  'abc',
  '1',
  '0',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  '%00',
  '%E0%A4%A',
  '..%2F..',
  'null',
  'undefined',
  '__proto__',
  "'%20or%201=1%20--",
  'x'.repeat(5000),
  encodeURIComponent('😀'),
]

/** A GET of one record or its history: garbage ids, unknown parameters, some real ids. */
export function itemRequest(rng: Rng, t: FuzzTarget, token: string): FuzzRequest {
  const sample = rng.pick(t.samples)
  const id = rng.pick([...GARBAGE_IDS, missingUuid(rng), sample.id.toUpperCase(), sample.id])
  const history = rng.chance(0.35) ? '/history' : ''
  const roll = rng.next()
  let query = ''
  let blame: string[] = []
  if (roll < 0.2) {
    const param = rng.pick(['x', 'related', 'fields', '__proto__'])
    query = `?${param}=${encodeURIComponent(rng.pick(['1', 'yes', '', 'true']))}`
    blame = [param]
  } else if (roll < 0.3 && !history) {
    query = '?related=true'
  }
  return {
    method: 'GET',
    path: `/api/data/${t.entity.id}/${id}${history}${query}`,
    headers: { authorization: `Bearer ${token}` },
    blame,
  }
}

/** Requests at entity names that are not top-level entities. */
export function strayEntityRequest(rng: Rng, token: string, childIds: string[]): FuzzRequest {
  const entity = rng.pick([
    '__proto__',
    'constructor',
    'toString',
    'Customer',
    '%00',
    encodeURIComponent("customer'; drop table app.customer; --"),
    'x'.repeat(300),
    ...childIds,
  ])
  const method = rng.pick(['GET', 'POST', 'PATCH', 'DELETE', 'PUT'])
  const withId = method === 'PATCH' || method === 'DELETE' || method === 'PUT' || rng.chance(0.3)
  const path = `/api/data/${entity}${withId ? `/${missingUuid(rng)}` : ''}`
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'if-match': '"1"',
  }
  const body = method === 'GET' || method === 'DELETE' ? undefined : '{"a":1}'
  return { method, path, headers, body, blame: ['entity', 'a'] }
}
