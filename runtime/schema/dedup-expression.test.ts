import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { dedupExpression, normalizeForDedup } from './dedup-expression'

describe('dedup normalisation', () => {
  it('folds width and case, trims and collapses white space', () => {
    expect(normalizeForDedup('  ＡＣＭＥ\u3000  Trading\t')).toBe('acme trading')
  })

  it('builds one indexable expression over a column', () => {
    const text = new PgDialect().sqlToQuery(dedupExpression(sql`${sql.identifier('name')}`)).sql
    expect(text).toBe(`lower(btrim(regexp_replace(normalize("name", NFKC), '\\s+', ' ', 'g')))`)
  })
})
