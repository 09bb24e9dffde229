import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Report } from '../../metadata/report'
import { ForbiddenError, ValidationError } from '../errors'
import { compileReport } from './compile-report'
import { drillPredicate } from './drill-report'
import type { ReportEnv } from './report-env'

const label = (en: string) => ({ en })
const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name') },
    {
      name: 'region',
      type: 'select',
      label: label('Region'),
      options: [{ value: 'north', label: label('North') }],
    },
  ],
}
const deal: Entity = {
  id: 'deal',
  label: label('Deal'),
  fields: [
    {
      name: 'stage',
      type: 'select',
      label: label('Stage'),
      options: [{ value: 'won', label: label('Won') }],
    },
    { name: 'amount', type: 'money', label: label('Amount') },
    { name: 'secret', type: 'decimal', label: label('Secret') },
    { name: 'closeOn', type: 'date', label: label('Close on') },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
  ],
}

/** A rep: own deals (owner = the caller), accounts of their region, `secret` hidden. */
const env: ReportEnv = {
  entities: new Map([
    ['deal', deal],
    ['account', account],
  ]),
  flows: [],
  user: { id: 'u-1', username: 'rep', displayName: 'Rep', locale: 'zh-CN', isAdmin: false },
  locale: 'zh-CN',
  now: new Date('2026-06-15T10:00:00Z'),
  scopeOf: (entity, alias) =>
    entity === 'deal'
      ? sql`${sql.identifier(alias)}.owner = ${'u-1'}`
      : sql`${sql.identifier(alias)}.region = ${'north'}`,
  hiddenOf: (entity) => (entity === 'deal' ? new Set(['secret']) : null),
}

const base: Report = {
  id: 'r',
  label: label('R'),
  entity: 'deal',
  dimensions: [{ id: 'region', field: 'account.region' }],
  measures: [{ id: 'amount', aggregate: 'sum', field: 'amount' }],
  parameters: [
    { id: 'period', type: 'dateRange', field: 'closeOn', label: label('Period') },
    { id: 'stages', type: 'select', field: 'stage', label: label('Stages') },
  ],
}

const toQuery = (s: ReturnType<typeof sql>) => new PgDialect().sqlToQuery(s)

describe('compileReport', () => {
  it('compiles to one statement in the caller’s scope, the joined entity’s scope included', () => {
    const { sql: text, params } = toQuery(compileReport(env, base, {}).statement)
    expect(text.split(/\bselect\b/).length - 1).toBe(2) // the fold and its rows
    expect(text).not.toContain(';')
    expect(text).toMatch(
      /left join "app"\."account" "j1" on "j1"\."id" = "s"\."account" and "j1"\.region = \$\d/,
    )
    expect(text).toMatch(/where "s"\.owner = \$\d/)
    expect(params).toEqual(expect.arrayContaining(['u-1', 'north']))
  })

  it('passes parameter values as bound parameters only', () => {
    const attack = "2026-01-01..2026-02-01' or '1'='1"
    expect(() => compileReport(env, base, { period: attack })).toThrow(ValidationError)
    const { sql: text, params } = toQuery(
      compileReport(env, base, { period: '2026-01-01..2026-03-31', stages: 'won' }).statement,
    )
    expect(text).not.toContain('2026-01-01')
    expect(params).toEqual(expect.arrayContaining(['2026-01-01', '2026-03-31', '{"won"}']))
  })

  it('refuses a hidden field as a dimension, a measure, a parameter or in a filter with 403 naming it', () => {
    const cases: [Report, string][] = [
      [{ ...base, dimensions: [{ id: 's', field: 'secret' }] }, 'dimensions[0].field'],
      [
        { ...base, measures: [{ id: 'm', aggregate: 'max', field: 'secret' }] },
        'measures[0].field',
      ],
      [{ ...base, filter: { '>': [{ var: 'secret' }, 1] } }, 'filter'],
      [
        {
          ...base,
          measures: [{ id: 'm', aggregate: 'count', filter: { '>': [{ var: 'secret' }, 1] } }],
        },
        'measures[0].filter',
      ],
    ]
    for (const [report, path] of cases) {
      try {
        compileReport(env, report, {})
        throw new Error(`compiled ${path}`)
      } catch (err) {
        expect(err).toBeInstanceOf(ForbiddenError)
        const details = (err as ForbiddenError).details ?? []
        expect(details[0]).toMatchObject({ path })
        // A zh-CN caller reads the field's label (English, for want of a Chinese one).
        expect(details[0].message).toContain('“Secret”')
      }
    }
  })

  it('answers 422 naming the parameter for an option that does not exist', () => {
    try {
      compileReport(env, base, { stages: "won,'; drop table app.deal; --" })
      throw new Error('compiled')
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).details?.[0].path).toBe('stages')
    }
  })

  it('drills into a cell with its key compared as a bound parameter', () => {
    const { sql: text, params } = toQuery(drillPredicate(env, base, {}, { region: "north' --" }))
    expect(text.startsWith('id in (select "s".id from "app"."deal" "s"')).toBe(true)
    expect(params).toContain("north' --")
  })

  it('folds a via measure per source record, in the scope of the records it folds', () => {
    const accounts: Report = {
      id: 'accounts',
      label: label('Accounts'),
      entity: 'account',
      dimensions: [{ id: 'region', field: 'region' }],
      measures: [
        { id: 'deals', aggregate: 'count', via: 'deal.account' },
        {
          id: 'won',
          aggregate: 'sum',
          field: 'amount',
          via: 'deal.account',
          filter: { '==': [{ var: 'stage' }, 'won'] },
        },
      ],
    }
    const { sql: text, params } = toQuery(compileReport(env, accounts, {}).statement)
    expect(text).toContain(
      '(select count(*) from "app"."deal" "v0x" where "v0x"."account" = "s".id and "v0x".owner = $',
    )
    expect(text).toMatch(/coalesce\(sum\("t"\."v0"\), 0\)/)
    expect(text).toMatch(/sum\("v1x"\."amount"\) from "app"\."deal" "v1x"/)
    expect(params).toEqual(expect.arrayContaining(['u-1', 'won']))
    const hidden = { ...accounts, measures: [{ ...accounts.measures[1], field: 'secret' }] }
    expect(() => compileReport(env, hidden as Report, {})).toThrow(ForbiddenError)
  })
})
