import { sql, type SQL } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import type { Db } from '../../runtime/db'
import { BadRequestError } from '../../runtime/errors'
import { compileFilter, evaluateRule, isTruthy } from '../../runtime/rules'
import { testTargets } from '../support/databases'

/**
 * Differential test of the filter compiler: for thousands of random rules, the rows PostgreSQL
 * selects with the compiled WHERE must be exactly the records json-logic-js finds truthy.
 */

const NOW = new Date('2025-03-15T10:20:30.456Z')
const TODAY = '2025-03-15'
const RECORDS = 300
const RULES = 2400
const REJECTS = 300

const field = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({
  name,
  type,
  label: { en: name },
  ...extra,
})

const entity: Entity = {
  id: 't',
  label: { en: 'T' },
  fields: [
    field('name', 'text'),
    field('code', 'text'),
    field('qty', 'integer'),
    field('price', 'decimal'),
    field('active', 'boolean'),
    field('due', 'date'),
    field('start', 'date'),
    field('at', 'datetime'),
    field('status', 'select'),
    field('tags', 'multiSelect'),
    field('creditLimit', 'money'),
    field('payload', 'json'),
  ],
}

const DDL = sql`create table app.t (
  id uuid primary key, version integer not null default 1,
  created_at timestamptz not null, updated_at timestamptz not null,
  created_by uuid, updated_by uuid,
  name text, code text, qty integer, price numeric(18,4), active boolean, due date, start date,
  at timestamptz, status text, tags text[], credit_limit numeric(18,2), credit_limit_currency text,
  payload jsonb)`

/** mulberry32: small, seeded, good enough to spread test cases. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]
  const chance = (p: number) => next() < p
  return { next, int, pick, chance }
}
type Rand = ReturnType<typeof prng>

const WORDS = [
  '',
  'a',
  'A',
  'alpha',
  'Alpha',
  'ALPHA',
  'beta',
  'Zebra',
  'zebra',
  'Ärger',
  'éclair',
  'e\u0301clair',
  'ß',
  'Ω',
  '中文',
  '日本語テキスト',
  'ｆｕｌｌ',
  'a b',
  '10',
  '9',
  '-5',
  '0',
  '5',
  'null',
  'abc null xyz',
  ' lead',
  'trail ',
  '~tilde',
  'a,b',
  'Ünïcödé',
  '\uffee',
  '\u00a0nbsp',
]
const ALPHABET = 'aAbBzZ019 -_,.éÉßΩж中文ａ\u00a0\ue000\ufffd'
const CODES = ['', 'a', 'b', 'B', '10', '5', '-5', 'null', 'x y', 'ä']
const STATUSES = ['open', 'closed', 'pending', 'Open']
const TAGS = ['a', 'b', 'B', 'c', '中', 'null', '']
const CURRENCIES = ['CNY', 'USD', 'EUR']

interface TestRecord {
  [key: string]: unknown
  id: string
}

function randomText(r: Rand): string {
  if (r.chance(0.6)) return r.pick(WORDS)
  return Array.from({ length: r.int(1, 8) }, () => r.pick([...ALPHABET])).join('')
}

function randomUuid(r: Rand): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`
}

function randomDate(r: Rand): string {
  const special = [
    '0001-01-01',
    '9999-12-31',
    '2024-02-29',
    '2024-01-31',
    '2025-01-31',
    TODAY,
    '2025-03-14',
    '2025-03-16',
    '2025-02-15',
    '2024-03-15',
    '2000-02-29',
  ]
  if (r.chance(0.3)) return r.pick(special)
  const ms = Date.UTC(r.int(1990, 2040), r.int(0, 11), r.int(1, 28))
  return new Date(ms).toISOString().slice(0, 10)
}

/** A datetime as stored (sometimes with microseconds) and as JavaScript sees it (milliseconds). */
function randomInstant(r: Rand): { stored: string; seen: string } {
  const base = r.chance(0.2)
    ? NOW.getTime() + r.int(-3, 3)
    : Date.UTC(
        r.int(1995, 2035),
        r.int(0, 11),
        r.int(1, 28),
        r.int(0, 23),
        r.int(0, 59),
        r.int(0, 59),
        r.int(0, 999),
      )
  const seen = new Date(base).toISOString()
  if (!r.chance(0.4)) return { stored: seen, seen }
  return { stored: seen.replace('Z', `${String(r.int(0, 999)).padStart(3, '0')}Z`), seen }
}

function maybe<T>(r: Rand, make: () => T, pNull = 0.15): T | null {
  return r.chance(pNull) ? null : make()
}

function randomNumber(r: Rand, scale: number): number {
  const specials = [0, -0.5, 0.1, 1, -1, 1234.5678, 99999.9999, -99999.9999, 5, 10]
  if (r.chance(0.3)) return Number(r.pick(specials).toFixed(scale))
  return Number((r.int(-1_000_000, 1_000_000) / 10 ** scale).toFixed(scale))
}

/** Builds one record: the in-memory value plus the SQL row that stores it. */
function randomRecord(r: Rand): { mem: TestRecord; row: SQL } {
  const id = randomUuid(r)
  const created = randomInstant(r)
  const at = maybe(r, () => randomInstant(r))
  const tags = maybe(r, () =>
    r.chance(0.15)
      ? []
      : Array.from(new Set(Array.from({ length: r.int(1, 3) }, () => r.pick(TAGS)))),
  )
  const amount = maybe(r, () => randomNumber(r, 2), 0.3)
  const qtySpecials = [0, -1, 1, 2147483647, -2147483648, 5, 10]
  const mem: TestRecord = {
    id,
    version: r.int(1, 3),
    createdAt: created.seen,
    updatedAt: created.seen,
    createdBy: null,
    updatedBy: null,
    name: maybe(r, () => randomText(r)),
    code: maybe(r, () => r.pick(CODES)),
    qty: maybe(r, () => (r.chance(0.3) ? r.pick(qtySpecials) : r.int(-1000, 1000))),
    price: maybe(r, () => randomNumber(r, 4)),
    active: maybe(r, () => r.chance(0.5), 0.25),
    due: maybe(r, () => randomDate(r)),
    start: maybe(r, () => randomDate(r)),
    at: at?.seen ?? null,
    status: maybe(r, () => r.pick(STATUSES)),
    tags,
    creditLimit: amount === null ? null : { amount, currency: r.pick(CURRENCIES) },
    payload: null,
  }
  const arrayLiteral = (items: string[]) =>
    `{${items.map((t) => `"${t.replace(/["\\]/g, '\\$&')}"`).join(',')}}`
  const money = mem.creditLimit as { amount: number; currency: string } | null
  // Text parameters cast in SQL: postgres.js would reserialise typed ones (dates through Date,
  // booleans from 't'), losing the microseconds this test relies on.
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v))
  const row = sql`(${id}::uuid, ${mem.version}::int, ${created.stored}::text::timestamptz, ${created.stored}::text::timestamptz,
    ${mem.name}::text, ${mem.code}::text, ${text(mem.qty)}::text::int, ${text(mem.price)}::text::numeric,
    ${text(mem.active)}::text::boolean, ${mem.due}::text::date, ${mem.start}::text::date,
    ${at?.stored ?? null}::text::timestamptz, ${mem.status}::text,
    ${tags === null ? null : arrayLiteral(tags)}::text::text[], ${text(money?.amount)}::text::numeric, ${money?.currency ?? null}::text)`
  return { mem, row }
}

/** Random rules over the test entity, shaped like what list filters and scopes contain. */
function ruleGenerator(r: Rand, records: TestRecord[]) {
  const sample = (key: string) => {
    const rec = r.pick(records)
    return key.includes('.')
      ? ((rec[key.split('.')[0]] as Record<string, unknown> | null)?.[key.split('.')[1]] ?? null)
      : rec[key]
  }
  const v = (name: string): Rule => ({ var: name })
  const numberLiteral = (key?: string): Rule =>
    key && r.chance(0.4)
      ? (sample(key) as Rule)
      : r.pick([
          0,
          -1,
          1,
          5,
          10,
          0.5,
          -0.5,
          100,
          1234.5678,
          2147483647,
          -2147483648,
          3,
          2,
          30,
          -30,
          null,
        ])
  const textLiteral = (key: string): Rule =>
    r.chance(0.4) ? (sample(key) as Rule) : r.pick([...WORDS, ...CODES, ...STATUSES])
  const dateLiteral = (key: string): Rule =>
    r.pick<() => Rule>([
      () => sample(key) as Rule,
      () => randomDate(r),
      () => ({ today: [] }),
      () => ({
        date_add: [{ today: [] }, r.int(-40, 40), r.pick(['day', 'week', 'month', 'year'])],
      }),
      () => null,
    ])()
  const datetimeLiteral = (key: string): Rule =>
    r.pick<() => Rule>([
      () => sample(key) as Rule,
      () => randomInstant(r).seen,
      () => randomDate(r),
      () => ({ now: [] }),
      () => null,
    ])()
  const numberExpr = (): { expr: Rule; key?: string } =>
    r.pick<() => { expr: Rule; key?: string }>([
      () => ({ expr: v('qty'), key: 'qty' }),
      () => ({ expr: v('price'), key: 'price' }),
      () => ({ expr: v('creditLimit.amount'), key: 'creditLimit.amount' }),
      () => ({ expr: v('version'), key: 'version' }),
      () => ({ expr: { length: v(r.pick(['name', 'code', 'tags'])) } }),
      () => ({
        expr: {
          date_diff: [
            v(r.pick(['due', 'start'])),
            r.pick<Rule>([{ today: [] }, v('start'), randomDate(r)]),
            r.pick(['day', 'month', 'year']),
          ],
        },
      }),
      () => ({ expr: { date_diff: [{ today: [] }, v('due'), r.pick(['day', 'month', 'year'])] } }),
    ])()
  const compareOp = () => r.pick(['==', '===', '!=', '!==', '<', '<=', '>', '>='])
  const orient = (op: string, a: Rule, b: Rule): Rule =>
    r.chance(0.3) ? { [op]: [b, a] } : { [op]: [a, b] }

  const comparison = (): Rule => {
    const op = compareOp()
    return r.pick<() => Rule>([
      () => {
        const { expr, key } = numberExpr()
        if ((op === '<' || op === '<=') && r.chance(0.3))
          return { [op]: [numberLiteral(key), expr, numberLiteral(key)] }
        return orient(op, expr, numberLiteral(key))
      },
      () => orient(op, numberExpr().expr, numberExpr().expr),
      () =>
        orient(
          op,
          v(r.pick(['name', 'code', 'status', 'creditLimit.currency'])),
          textLiteral(r.pick(['name', 'code', 'status'])),
        ),
      () => {
        const key = r.pick(['due', 'start'])
        const expr: Rule = r.chance(0.3)
          ? { date_add: [v(key), r.int(-400, 400), r.pick(['day', 'week', 'month', 'year'])] }
          : v(key)
        if ((op === '<' || op === '<=') && r.chance(0.3))
          return { [op]: [dateLiteral(key), expr, dateLiteral(key)] }
        return orient(op, expr, dateLiteral(key))
      },
      () => orient(op, v('due'), v('start')),
      () => {
        const key = r.pick(['at', 'createdAt'])
        const literal = datetimeLiteral(key)
        const eq = ['==', '===', '!=', '!=='].includes(op)
        const safe =
          eq && typeof literal === 'string' && literal.length === 10
            ? `${literal}T00:00:00.000Z`
            : literal
        return orient(op, v(key), safe)
      },
      () => orient(op, v('at'), v('createdAt')),
      () =>
        orient(r.pick(['==', '!=', '===', '!==']), v('active'), r.pick<Rule>([true, false, null])),
      () =>
        orient(
          r.pick(['==', '!=']),
          v('active'),
          r.pick<Rule>([{ '>': [v('qty'), 0] }, { '!!': v('name') }]),
        ),
      () =>
        orient(
          r.pick(['==', '!=', '===', '!==']),
          v(r.pick(['name', 'code', 'status'])),
          v(r.pick(['name', 'code', 'status'])),
        ),
      () => orient(r.pick(['==', '!=']), v(r.pick(['tags', 'creditLimit', 'qty', 'due'])), null),
    ])()
  }

  const membership = (): Rule =>
    r.pick<() => Rule>([
      () => ({
        in: [
          v('status'),
          Array.from({ length: r.int(0, 3) }, () => (r.chance(0.15) ? null : r.pick(STATUSES))),
        ],
      }),
      () => ({ in: [v('qty'), Array.from({ length: r.int(1, 4) }, () => numberLiteral('qty'))] }),
      () => ({
        in: [
          v('due'),
          Array.from({ length: r.int(1, 3) }, (): Rule =>
            r.chance(0.1) ? null : ((sample('due') as string | null) ?? randomDate(r)),
          ),
        ],
      }),
      () => ({
        in: [
          v('at'),
          Array.from(
            { length: r.int(1, 3) },
            (): Rule => (sample('at') as string | null) ?? randomInstant(r).seen,
          ),
        ],
      }),
      () => ({
        in: [
          r.pick(['a', '', 'null', 'lph', '中', 'A', ' ', '5', 'é']),
          v(r.pick(['name', 'code', 'creditLimit.currency'])),
        ],
      }),
      () => ({
        in: [
          v(r.pick(['code', 'status'])),
          r.pick(['a,b,10,null', 'open closed', '', 'xyz', 'B5']),
        ],
      }),
      () => ({ in: [r.pick(TAGS), v('tags')] }),
      () => ({ in: [v(r.pick(['status', 'code'])), v('tags')] }),
      () => ({ in: [v('code'), v('name')] }),
      () => ({ in: [{ '>': [v('qty'), 0] }, [true]] }),
    ])()

  const truthiness = (): Rule => {
    const name = r.pick([
      'name',
      'code',
      'qty',
      'price',
      'active',
      'due',
      'at',
      'status',
      'tags',
      'creditLimit',
      'creditLimit.amount',
      'creditLimit.currency',
    ])
    return r.pick<() => Rule>([
      () => v(name),
      () => ({ '!!': v(name) }),
      () => ({ '!': v(name) }),
      () => ({ '!!': [v(name)] }),
    ])()
  }

  const rule = (depth: number): Rule => {
    const roll = r.next()
    if (depth < 3 && roll < 0.3) {
      const op = r.pick(['and', 'or'])
      return { [op]: Array.from({ length: r.int(1, 3) }, () => rule(depth + 1)) }
    }
    if (depth < 3 && roll < 0.4) return { [r.pick(['!', '!!'])]: rule(depth + 1) }
    if (roll < 0.7) return comparison()
    if (roll < 0.88) return membership()
    return truthiness()
  }
  return () => rule(0)
}

/** Rules with no exact translation: the compiler must answer 400, never an SQL error. */
function rejectedRules(r: Rand): Rule[] {
  const v = (name: string): Rule => ({ var: name })
  const pool: Array<() => Rule> = [
    () => ({ '==': [v('nope'), 1] }),
    () => ({ '==': [v('qty'), '5'] }),
    () => ({ '<': [v('price'), r.pick(['1', true, [1]])] }),
    () => ({ '==': [v('name'), r.pick([5, true, 0])] }),
    () => ({ '>': [v('active'), false] }),
    () => ({ '==': [{ '+': [v('qty'), 1] }, 2] }),
    () => ({ '==': [{ cat: [v('name'), 'x'] }, 'ax'] }),
    () => ({ '==': [v(['qty', 0] as unknown as string), 0] }),
    () => ({ method: [v('name'), 'toUpperCase'] }),
    () => ({ log: v('name') }),
    () => ({
      '==': [v('due'), r.pick(['2024-13-01', '2024-02-30', 'tomorrow', '2024-1-1', '0000-01-01'])],
    }),
    () => ({ '<': [v('at'), r.pick(['2024-01-01T00:00:00Z', '2024-01-01 10:00', 'later'])] }),
    () => ({ '==': [v('at'), '2024-01-01'] }),
    () => ({ '>': [v('creditLimit'), 5] }),
    () => ({ '==': [v('tags'), 'a'] }),
    () => ({ '<': [v('name'), v('code')] }),
    () => ({ '<': [v('name'), null] }),
    () => ({ in: [1, v('qty')] }),
    () => ({ in: [5, v('tags')] }),
    () => ({ '==': [v('payload'), 1] }),
    () => ({ '==': [v('creditLimit.rate'), 1] }),
    () => ({ '==': [{ and: [v('name'), true] }, true] }),
    () => ({ if: [v('active'), true, false] }),
    () => ({ missing: ['name'] }),
    () => ({ '==': [v('name'), 'a\u0000b'] }),
    () => ({ date_add: [v('due'), 1, 'fortnight'] }),
    () => ({ '<': [{ date_add: [v('due'), 1.5, 'day'] }, TODAY] }),
    () => ({ '<': [{ date_diff: [v('at'), { now: [] }, 'day'] }, 3] }),
    () => ({ '==': [v('id'), 'not-a-uuid'] }),
    () => ({ '>': [v('qty'), 1, 2] }),
    () => ({ '==': [v('qty'), 1, 2] }),
    () => ({ some: [v('tags'), { '==': [{ var: '' }, 'a'] }] }),
    () => ({ '==': [v('__proto__'), 1] }),
    () => ({ '==': [{ var: { cat: ['na', 'me'] } } as Rule, 'a'] }),
  ]
  return Array.from({ length: REJECTS }, () => r.pick(pool)())
}

describe.each(testTargets())('the filter compiler agrees with json-logic-js on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let records: TestRecord[]

  beforeAll(async () => {
    const opened = await target.open()
    db = opened.db
    close = opened.close
    await db.query(sql`create schema if not exists app`)
    await db.query(DDL)
    const r = prng(20250315)
    const built = Array.from({ length: RECORDS }, () => randomRecord(r))
    records = built.map((b) => b.mem)
    for (let i = 0; i < built.length; i += 100) {
      const rows = built.slice(i, i + 100).map((b) => b.row)
      await db.query(
        sql`insert into app.t (id, version, created_at, updated_at, name, code, qty, price, active, due, start, at, status, tags, credit_limit, credit_limit_currency) values ${sql.join(rows, sql`, `)}`,
      )
    }
  })

  afterAll(async () => {
    await close?.()
  })

  it('stored the records as generated', async () => {
    const [row] = await db.query<{
      n: number
      yes: number
      micro: number
      tagged: number
    }>(sql`select count(*)::int as n,
      (count(*) filter (where active))::int as yes,
      (count(*) filter (where (extract(microseconds from created_at)::int % 1000) <> 0))::int as micro,
      (count(*) filter (where cardinality(tags) > 0))::int as tagged from app.t`)
    expect(row.n).toBe(RECORDS)
    expect(row.yes).toBe(records.filter((rec) => rec.active === true).length)
    expect(row.tagged).toBe(
      records.filter((rec) => Array.isArray(rec.tags) && rec.tags.length > 0).length,
    )
    // Some timestamps keep microseconds JavaScript never sees.
    expect(row.micro).toBeGreaterThan(10)
  })

  it('selects exactly the records json-logic-js finds truthy, for thousands of random rules', async () => {
    // FILTER_SEED=n explores other rule sets (the records stay the same).
    const r = prng(Number(process.env.FILTER_SEED ?? (target.name === 'pglite' ? 7 : 11)))
    const next = ruleGenerator(r, records)
    let compiled = 0
    let nonTrivial = 0
    let attempts = 0
    for (; compiled < RULES && attempts < RULES * 3; attempts++) {
      const rule = next()
      let where: SQL
      try {
        where = compileFilter(entity, rule, { now: NOW, alias: 't' })
      } catch (err) {
        if (err instanceof BadRequestError) continue
        throw err
      }
      compiled++
      const expected = records
        .filter((rec) => isTruthy(evaluateRule(rule, rec, { now: NOW })))
        .map((rec) => rec.id)
        .sort()
      let rows: { id: string }[]
      try {
        rows = await db.query<{ id: string }>(sql`select t.id from app.t as t where ${where}`)
      } catch (err) {
        throw new Error(`SQL error for rule ${JSON.stringify(rule)}: ${(err as Error).message}`)
      }
      const actual = rows.map((row) => row.id).sort()
      if (expected.length > 0 && expected.length < RECORDS) nonTrivial++
      if (actual.join() !== expected.join()) {
        const extra = actual.filter((id) => !expected.includes(id))
        const missing = expected.filter((id) => !actual.includes(id))
        const show = (id: string) => JSON.stringify(records.find((rec) => rec.id === id))
        throw new Error(
          `mismatch for rule ${JSON.stringify(rule)}\n` +
            `SQL selected but JS did not: ${extra.slice(0, 3).map(show).join('\n')}\n` +
            `JS selected but SQL did not: ${missing.slice(0, 3).map(show).join('\n')}`,
        )
      }
    }
    expect(compiled).toBe(RULES)
    // Most generated rules are translatable; the rest are refused with a 400 and skipped.
    expect(attempts).toBeLessThan(RULES * 1.5)
    // The generator must produce rules that split the table, not only all-or-nothing ones.
    expect(nonTrivial).toBeGreaterThan(RULES / 3)
  }, 120_000)

  it('refuses rules it cannot translate exactly with a 400, never an SQL error', () => {
    for (const rule of rejectedRules(prng(99))) {
      let error: unknown
      try {
        compileFilter(entity, rule, { now: NOW })
      } catch (err) {
        error = err
      }
      if (!(error instanceof BadRequestError))
        throw new Error(`expected a 400 for ${JSON.stringify(rule)}, got ${String(error)}`)
      expect(error.details[0].path).toBe('filter')
    }
  })
})
