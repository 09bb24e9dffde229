import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import { BadRequestError } from '../errors'
import { compileFilter } from './compile-filter'

const field = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({
  name,
  type,
  label: { en: name },
  ...extra,
})

const customer: Entity = {
  id: 'customer',
  label: { en: 'Customer' },
  fields: [
    field('name', 'text'),
    field('employeeCount', 'integer'),
    field('rating', 'decimal'),
    field('active', 'boolean'),
    field('since', 'date'),
    field('lastContactAt', 'datetime'),
    field('level', 'select'),
    field('tags', 'multiSelect'),
    field('creditLimit', 'money'),
    field('owner', 'user'),
    field('notes', 'json'),
  ],
}

const NOW = new Date('2025-03-15T10:00:00.000Z')
const dialect = new PgDialect()
const compile = (rule: unknown, opts: Parameters<typeof compileFilter>[2] = {}) =>
  dialect.sqlToQuery(compileFilter(customer, rule as Rule, { now: NOW, ...opts }))

function rejection(rule: unknown): BadRequestError {
  try {
    compileFilter(customer, rule as Rule, { now: NOW })
  } catch (err) {
    if (err instanceof BadRequestError) return err
    throw err
  }
  throw new Error('expected a BadRequestError')
}

describe('compileFilter', () => {
  it('compiles equality with a number to an index-friendly comparison', () => {
    expect(compile({ '==': [{ var: 'employeeCount' }, 5] })).toEqual({
      sql: '"employee_count" = $1::bigint',
      params: ['5'],
      typings: ['none'],
    })
    expect(compile({ '==': [{ var: 'rating' }, 4.5] }, { alias: 'c' }).sql).toBe(
      '"c"."rating" = $1::numeric',
    )
  })

  it('keeps col > 5 bare but adds the null rows to col < 5, since null < 5 in JavaScript', () => {
    expect(compile({ '>': [{ var: 'employeeCount' }, 5] }).sql).toBe(
      '"employee_count" > $1::bigint',
    )
    expect(compile({ '<': [{ var: 'employeeCount' }, 5] }).sql).toBe(
      '("employee_count" < $1::bigint or "employee_count" is null)',
    )
    expect(compile({ '>': [{ var: 'employeeCount' }, -1] }).sql).toBe(
      '("employee_count" > $1::bigint or "employee_count" is null)',
    )
  })

  it('treats != as distinct from, so null rows match', () => {
    expect(compile({ '!=': [{ var: 'level' }, 'vip'] }).sql).toBe(
      '("level" <> $1::text or "level" is null)',
    )
    expect(compile({ '==': [{ var: 'level' }, null] }).sql).toBe('"level" is null')
  })

  it('compares text in code-unit order', () => {
    expect(compile({ '<': [{ var: 'name' }, 'M'] }).sql).toBe('"name" collate "C" < $1::text')
  })

  it('negates with coalesce so that null rows count as false, not unknown', () => {
    expect(compile({ '!': { '==': [{ var: 'level' }, 'vip'] } }).sql).toBe(
      'not coalesce("level" = $1::text, false)',
    )
    expect(compile({ '!': { var: 'active' } }).sql).toBe('not coalesce("active", false)')
  })

  it('reads truthiness per type', () => {
    expect(compile({ '!!': { var: 'name' } }).sql).toBe(`"name" <> ''`)
    expect(compile({ '!!': { var: 'employeeCount' } }).sql).toBe('"employee_count" <> 0')
    expect(compile({ '!!': { var: 'tags' } }).sql).toBe('cardinality("tags") > 0')
    expect(compile({ var: 'since' }).sql).toBe('"since" is not null')
  })

  it('compiles the three forms of in', () => {
    expect(compile({ in: [{ var: 'level' }, ['a', 'b', null]] }).sql).toBe(
      '("level" in ($1::text, $2::text) or "level" is null)',
    )
    expect(compile({ in: ['acme', { var: 'name' }] }).sql).toBe('strpos("name", $1::text) > 0')
    expect(compile({ in: ['vip', { var: 'tags' }] }).sql).toBe('$1::text = any("tags")')
    expect(compile({ in: [{ var: 'level' }, []] }).sql).toBe('false')
  })

  it('compiles between forms of < and <=', () => {
    // 1 <= null is false, so the null rows the second half admits are dropped by the first.
    expect(compile({ '<=': [1, { var: 'employeeCount' }, 10] }).sql).toBe(
      '(("employee_count" >= $1::bigint) and (("employee_count" <= $2::bigint or "employee_count" is null)))',
    )
  })

  it('compares money by its amount and dates against constants', () => {
    expect(compile({ '>=': [{ var: 'creditLimit.amount' }, 1000] }).sql).toBe(
      '"credit_limit" >= $1::numeric',
    )
    expect(
      compile({ '<': [{ var: 'since' }, { date_add: [{ today: [] }, -1, 'year'] }] }),
    ).toMatchObject({ sql: '"since" < $1::date', params: ['2024-03-15'] })
  })

  it('compares datetimes at millisecond precision, and whole days before any time of that day', () => {
    const at = '2025-01-01T08:00:00.000Z'
    expect(compile({ '==': [{ var: 'lastContactAt' }, at] })).toMatchObject({
      sql: '("last_contact_at" >= $1::timestamptz and "last_contact_at" < $2::timestamptz)',
      params: [at, '2025-01-01T08:00:00.001Z'],
    })
    expect(compile({ '>': [{ var: 'lastContactAt' }, '2025-01-01'] })).toMatchObject({
      sql: '"last_contact_at" >= $1::timestamptz',
      params: ['2025-01-01T00:00:00.000Z'],
    })
  })

  it('compiles length, date_diff and date_add over columns', () => {
    expect(compile({ '>': [{ length: { var: 'name' } }, 3] }).sql).toBe(
      'coalesce(char_length("name"), 0) > $1::bigint',
    )
    expect(
      compile({ '>': [{ date_diff: [{ var: 'since' }, { today: [] }, 'day'] }, 30] }).sql,
    ).toBe('($1::date - "since") > $2::bigint')
    expect(
      compile({ '==': [{ date_add: [{ var: 'since' }, 1, 'month'] }, '2025-04-01'] }).sql,
    ).toContain('make_interval(months => $1::int)')
  })

  it('reads vars as constants and lets them win over fields', () => {
    const q = compile(
      { '==': [{ var: 'owner' }, { var: '$user.id' }] },
      { vars: { $user: { id: '6f1c0c36-3b8e-4a8e-9d1f-0c7b3f3a2b10' } } },
    )
    expect(q).toMatchObject({
      sql: '"owner" = $1::uuid',
      params: ['6f1c0c36-3b8e-4a8e-9d1f-0c7b3f3a2b10'],
    })
  })

  it('folds constant rules to true or false', () => {
    expect(compile(true).sql).toBe('true')
    expect(compile({ '==': [1, 2] }).sql).toBe('false')
  })

  it('refuses an unknown field with a 400 naming it at filter', () => {
    const err = rejection({ '==': [{ var: 'x' }, 1] })
    expect(err.status).toBe(400)
    expect(err.details).toEqual([{ path: 'filter', message: "unknown field 'x'" }])
  })

  it('refuses comparing a number field with a string, naming the field', () => {
    expect(rejection({ '==': [{ var: 'employeeCount' }, '5'] }).details[0].message).toContain(
      "field 'employeeCount'",
    )
    expect(rejection({ '<': [{ var: 'name' }, 5] }).details[0].message).toContain("field 'name'")
    expect(rejection({ '==': [{ var: 'active' }, 1] }).details[0].message).toContain(
      "field 'active'",
    )
  })

  it('refuses operators and forms it cannot translate exactly', () => {
    expect(
      rejection({ '==': [{ '+': [{ var: 'employeeCount' }, 1] }, 2] }).details[0].message,
    ).toContain("operator '+'")
    expect(rejection({ '==': [{ var: ['employeeCount', 0] }, 0] }).details[0].message).toContain(
      'default',
    )
    expect(rejection({ '==': [{ var: 'since' }, '2025-02-30'] }).details[0].path).toBe('filter')
    expect(
      rejection({ '==': [{ var: 'lastContactAt' }, '2025-01-01'] }).details[0].message,
    ).toContain('full ISO datetime')
    expect(rejection({ '==': [{ var: 'creditLimit' }, 5] }).details[0].message).toContain(
      'creditLimit.amount',
    )
    expect(rejection({ '==': [{ var: 'notes' }, 5] }).details[0].message).toContain(
      "'notes' (json)",
    )
    expect(rejection({ method: ['a', 'toString'] }).details[0].path).toBe('filter')
    expect(
      rejection({ '==': [{ and: [{ var: 'name' }, true] }, true] }).details[0].message,
    ).toContain('conditions')
    expect(rejection({ '==': [{ var: 'owner' }, 'not-a-uuid'] }).details[0].message).toContain(
      "field 'owner'",
    )
  })
})
