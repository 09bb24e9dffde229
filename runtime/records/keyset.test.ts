import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { buildKeysetPredicate, buildOrderBy, type OrderKey } from './keyset'

const render = (q: Parameters<PgDialect['sqlToQuery']>[0]) => new PgDialect().sqlToQuery(q)
const id: OrderKey = { column: 'id', direction: 'desc', notNull: true }

describe('keyset paging', () => {
  it('uses one row comparison for a not-null key and the id', () => {
    const keys: OrderKey[] = [{ column: 'created_at', direction: 'desc', notNull: true }, id]
    expect(render(buildKeysetPredicate(keys, ['t', 'i']))).toMatchObject({
      sql: '("created_at", "id") < ($1, $2)',
      params: ['t', 'i'],
    })
    expect(render(buildOrderBy(keys)).sql).toBe('"created_at" desc, "id" desc')
  })

  it('lets NULL rows follow every value when ascending', () => {
    const keys: OrderKey[] = [
      { column: 'region', direction: 'asc', notNull: false },
      { ...id, direction: 'asc' },
    ]
    expect(render(buildKeysetPredicate(keys, ['East', 'i'])).sql).toBe(
      '("region" > $1 or ("region" = $2 and ("id" > $3)) or "region" is null)',
    )
    expect(render(buildKeysetPredicate(keys, [null, 'i'])).sql).toBe(
      '("region" is null and ("id" > $1))',
    )
  })

  it('lets every non-NULL row follow a NULL when descending', () => {
    const keys: OrderKey[] = [{ column: 'region', direction: 'desc', notNull: false }, id]
    expect(render(buildKeysetPredicate(keys, [null, 'i'])).sql).toBe(
      '("region" is not null or ("region" is null and ("id" < $1)))',
    )
  })
})
