import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import { openDb, type Db } from '../../runtime/db'
import { publishMetadata } from '../../runtime/registry'
import { buildSearchSql, searchRecords } from '../../runtime/search'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })
const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  searchFields: ['name', 'phone'],
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'phone', type: 'phone', label: label('Phone') },
  ],
}
const column = (name: string) => ({ name, column: sql`"t".${sql.identifier(name)}` })
/** The branch search builds for an administrator (no scope, every field readable). */
const searchTarget = {
  entity: account,
  table: sql`"app"."account"`,
  scope: null,
  title: column('name'),
  fields: [column('name'), column('phone')],
  subtitle: [],
}

describe.each(testTargets())('search indexes on $name', (target) => {
  let db: Db
  let url: string | undefined
  let close: () => Promise<void>
  let ctx: Ctx
  beforeAll(async () => {
    ;({ db, url, close } = await target.open())
    const base = { db, user: SYSTEM_USER, clock: fixedClock('2026-01-01T00:00:00Z') }
    const { meta } = await publishMetadata(
      { ...base, log: silentLogger },
      { packages: [], entities: [account], forms: [], views: [] },
    )
    ctx = { ...base, log: silentLogger, meta }
    await db.query(sql`insert into app.account (name, phone)
      select 'Firm ' || n, '+86 ' || lpad(n::text, 8, '0') from generate_series(1, 3000) n`)
    await db.query(sql`insert into app.account (name) values ('Zephyr Quartz Works')`)
    await db.query(sql`analyze app.account`)
  })
  afterAll(() => close())

  it('lets a search for a word read the trigram index of each searched field', async () => {
    const plan = await db.transaction(async (tx) => {
      // Only a plan that can use the indexes avoids the scan: proves the SQL matches them.
      await tx.query(sql`set local enable_seqscan = off`)
      return tx.query<{ 'QUERY PLAN': string }>(
        sql`explain ${buildSearchSql([searchTarget], 'quartz', 6)}`,
      )
    })
    const text = plan.map((r) => r['QUERY PLAN']).join('\n')
    expect(text).toMatch(/Bitmap Index Scan on account_name_trgm/)
    expect(text).toMatch(/Bitmap Index Scan on account_phone_trgm/)
  })

  it('plans each search for its own text, caching no plan that fits another', async () => {
    // One connection: the prepared statements listed are the ones this search would reuse.
    const single = url ? await openDb({ url, max: 1 }) : db
    try {
      const one = { ...ctx, db: single }
      for (const q of ['quartz', 'firm', 'fi', 'QUARTZ', '0000', 'quartz']) {
        const found = await searchRecords(one, { q, entities: ['account'], limit: 1 })
        expect(found.data).toHaveLength(1)
      }
      const { data } = await searchRecords(one, { q: 'quartz', entities: ['account'] })
      expect(data).toEqual([
        {
          entity: 'account',
          id: expect.any(String),
          title: 'Zephyr Quartz Works',
          matched: ['name'],
        },
      ])
      await single.query(sql`select ${1}::int as prepared_probe`)
      const statements = await single.query<{ statement: string }>(
        sql`select statement from pg_prepared_statements`,
      )
      const texts = statements.map((s) => s.statement)
      if (target.name === 'postgres') expect(texts.join('\n')).toContain('prepared_probe')
      expect(texts.filter((s) => s.includes('array_remove'))).toEqual([])
    } finally {
      if (single !== db) await single.close()
    }
  })
})
