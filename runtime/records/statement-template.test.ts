import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { renderQuery } from '../db/bound-query'
import { StatementTemplate } from './statement-template'

const dialect = new PgDialect()

describe('statement templates', () => {
  it('binds values into their slots and keeps constant parameters', () => {
    const t = new StatementTemplate(
      (v) =>
        sql`select ${sql.identifier('a b')} from t where x = ${v(1)} and y = ${'k'} and z = ${v(0)} or w = ${v(1)}`,
    )
    const q = dialect.sqlToQuery(t.bind([10, 'twenty']))
    expect(q.sql).toBe('select "a b" from t where x = $1 and y = $2 and z = $3 or w = $4')
    expect(q.params).toEqual(['twenty', 'k', 10, 'twenty'])
  })

  it('keeps values as parameters even when they look like SQL', () => {
    const t = new StatementTemplate((v) => sql`select ${v(0)}`)
    expect(dialect.sqlToQuery(t.bind(['1; drop table x'])).params).toEqual(['1; drop table x'])
  })

  it('hands the driver the text drizzle would render, without rendering it again', () => {
    const t = new StatementTemplate(
      (v) => sql`insert into t (a, b, c) values (${v(0)}, ${'k'}, ${v(1)}::jsonb) returning ${v(0)}`,
    )
    const at = new Date('2026-12-07T06:00:00Z')
    for (const values of [
      [1, '{"a":1}'],
      [at, null],
      ['x', undefined],
    ]) {
      const bound = t.bind(values)
      const { sql: text, params } = dialect.sqlToQuery(bound)
      expect(renderQuery(bound)).toEqual({ sql: text, params })
    }
  })

  it('leaves a list in a slot to drizzle, which renders one placeholder per item', () => {
    const t = new StatementTemplate((v) => sql`select 1 where x in ${v(0)}`)
    const q = renderQuery(t.bind([[1, 2, 3]]))
    expect(q.sql).toBe('select 1 where x in ($1, $2, $3)')
    expect(q.params).toEqual([1, 2, 3])
  })
})
