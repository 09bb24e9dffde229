import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'

const account: Entity = {
  id: 'account',
  label: { en: 'Account' },
  titleField: 'name',
  fields: [{ name: 'name', type: 'text', label: { en: 'Name' }, required: true }],
}
const bundle = { packages: [], entities: [account], forms: [], views: [] }
const migration = (file: string) =>
  readFileSync(new URL(`../../runtime/db/migrations/${file}`, import.meta.url), 'utf8')
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
/** The Unix milliseconds in a version 7 id's first 48 bits. */
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function idDefault(db: Db, schema: string, table: string): Promise<string> {
  const [row] = await db.query<{ d: string }>(sql`select column_default as d
    from information_schema.columns
    where table_schema = ${schema} and table_name = ${table} and column_name = 'id'`)
  return row.d
}

describe.each(testTargets())('time-ordered ids on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: Ctx

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const base = {
      db,
      user: SYSTEM_USER,
      clock: fixedClock('2026-01-01T00:00:00Z'),
      log: silentLogger,
    }
    const { meta } = await publishMetadata(base, bundle)
    ctx = { ...base, meta }
  })
  afterAll(() => close())

  it('gives new records version 7 ids that follow the wall clock', async () => {
    const before = Date.now()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push(String((await createRecord(ctx, 'account', { name: `Account ${i}` })).record.id))
      await pause(3)
    }
    for (const id of ids) expect(id).toMatch(V7)
    expect([...ids].sort()).toEqual(ids)
    expect(msOf(ids[0])).toBeGreaterThanOrEqual(before - 1000)
    expect(msOf(ids[4])).toBeLessThanOrEqual(Date.now() + 1000)
    expect(await idDefault(db, 'app', 'account')).toBe('trellis_uuid7()')
    expect(await idDefault(db, 'public', 'notifications')).toBe('trellis_uuid7()')
  })

  it('is inlined into the statement that calls it, a column default included', async () => {
    // Not inlined, every statement calling it parsed and planned its body once more.
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      sql.raw(`explain (verbose, costs off) insert into app.account (name) values ('x')`),
    )
    const text = plan.map((row) => row['QUERY PLAN']).join('\n')
    expect(text).toContain('gen_random_uuid()')
    expect(text).not.toContain('trellis_uuid7')
  })

  it('moves entity tables an earlier release made to the new default on upgrade', async () => {
    // An install from before migration 0016 has entity tables with the old default: run the
    // statements of the migrations since over one (each of them may run again).
    await db.query(sql`create table app.legacy (id uuid primary key default gen_random_uuid())`)
    for (const file of ['0016_time-ordered-ids.sql', '0018_inline-uuid7.sql'])
      for (const statement of migration(file).split('--> statement-breakpoint'))
        await db.query(sql.raw(statement))
    expect(await idDefault(db, 'app', 'legacy')).toBe('trellis_uuid7()')
    const [row] = await db.query<{ id: string }>(
      sql`insert into app.legacy default values returning id`,
    )
    expect(row.id).toMatch(V7)
  })
})
