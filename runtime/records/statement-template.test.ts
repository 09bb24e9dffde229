import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
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
})
