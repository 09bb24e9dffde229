import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Logger } from '../../runtime/context'
import { openDb, type Db } from '../../runtime/db'
import { loadPublishedMetadata, publishMetadata, type PublishCtx } from '../../runtime/registry'
import { buildMissingIndexes, listExistingObjects } from '../../runtime/schema'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })
const dialect = new PgDialect()

const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  searchFields: ['name', 'phone'],
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'phone', type: 'phone', label: label('Phone') },
    { name: 'region', type: 'text', label: label('Region'), index: true },
    { name: 'code', type: 'text', label: label('Code'), unique: true },
  ],
}
const bundle = { packages: [], entities: [account], forms: [], views: [] }

/** The state of each index of a table: name → valid. */
async function indexStates(db: Db, table: string) {
  const rows = await db.query<{ name: string; valid: boolean }>(
    sql`select c.relname as name, i.indisvalid as valid from pg_index i
      join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'app' and t.relname = ${table}`,
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.valid]))
}

/** A logger that keeps what it was told, to check what a build reports. */
function recordingLog(): Logger & { lines: { level: string; msg?: string; index?: unknown }[] } {
  const lines: { level: string; msg?: string; index?: unknown }[] = []
  const at = (level: string) => (obj: object | string, msg?: string) =>
    lines.push(typeof obj === 'string' ? { level, msg: obj } : { level, msg, ...obj })
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }
}

/** The real database, noting each statement's SQL and whether it ran inside a transaction. */
function recordingDb(db: Db, ran: string[], inTx = false): Db {
  return {
    ...db,
    query: (q, options) => {
      ran.push(`${inTx ? 'tx' : 'pool'}: ${dialect.sqlToQuery(q).sql}`)
      return db.query(q, options)
    },
    transaction: (fn) => db.transaction((tx) => fn(recordingDb(tx, ran, true))),
  }
}

describe.each(testTargets())('building missing indexes on $name', (target) => {
  let db: Db
  let url: string | undefined
  let close: () => Promise<void>
  let ctx: PublishCtx
  const concurrently = target.name === 'postgres'
  const build = (on: Db = db, log: Logger = silentLogger) =>
    buildMissingIndexes(on, [account], { log, concurrently })

  beforeAll(async () => {
    ;({ db, url, close } = await target.open())
    ctx = { db, user: SYSTEM_USER, clock: fixedClock('2026-01-01T00:00:00Z'), log: silentLogger }
    await publishMetadata(ctx, bundle)
  })
  afterAll(() => close())

  it('builds concurrently outside any transaction on PostgreSQL, in a short one on PGlite', async () => {
    await db.query(sql`drop index app.account_region_id_idx`)
    const ran: string[] = []
    const log = recordingLog()
    expect(await build(recordingDb(db, ran), log)).toBe(1)
    const create = ran.filter((s) => s.includes('create index'))
    expect(create).toEqual([
      concurrently
        ? 'pool: create index concurrently if not exists "account_region_id_idx" on "app"."account" ("region", "id")'
        : 'tx: create index if not exists "account_region_id_idx" on "app"."account" ("region", "id")',
    ])
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'info', index: 'account_region_id_idx' }),
    )
    expect((await indexStates(db, 'account')).account_region_id_idx).toBe(true)
  })

  it('drops an invalid leftover of a failed build and builds the index again', async () => {
    // What a failed `create index concurrently` leaves: the index, marked invalid.
    await db.query(
      sql`update pg_index set indisvalid = false where indexrelid = 'app.account_phone_trgm'::regclass`,
    )
    const before = await listExistingObjects(db)
    expect([...before.indexes]).not.toContain('account_phone_trgm')
    expect([...(before.invalidIndexes ?? [])]).toEqual(['account_phone_trgm'])
    // A publish would replace it too, instead of passing over it with `if not exists`.
    const dry = await publishMetadata(ctx, bundle, { dryRun: true })
    expect(dry.plan.steps).toEqual([
      expect.objectContaining({
        kind: 'createIndex',
        field: 'phone',
        sql: expect.stringMatching(
          /^drop index if exists "app"."account_phone_trgm";\ncreate index/,
        ),
      }),
    ])
    const [{ oid }] = await db.query<{ oid: number }>(
      sql`select 'app.account_phone_trgm'::regclass::oid as oid`,
    )
    expect(await build()).toBe(1)
    expect((await indexStates(db, 'account')).account_phone_trgm).toBe(true)
    const [after] = await db.query<{ oid: number }>(
      sql`select 'app.account_phone_trgm'::regclass::oid as oid`,
    )
    expect(after.oid).not.toBe(oid)
    expect(await build()).toBe(0)
  })

  it('survives two builders starting at once; what one leaves, the next start builds', async () => {
    await db.query(sql`drop index app.account_region_id_idx`)
    await db.query(sql`drop index app.account_name_trgm`)
    await db.query(sql`drop index app.account_phone_id_idx`)
    // On PostgreSQL a second pool stands for a second server process.
    const other = url ? await openDb({ url, max: 2 }) : db
    await other.query(sql`select 1`) // connected, so both start together
    try {
      const logs = [recordingLog(), recordingLog()]
      // Neither throws nor fails to list; a build that lost a race (a deadlock) only warns.
      const built = await Promise.all([build(db, logs[0]), build(other, logs[1])])
      expect(built[0] + built[1]).toBeGreaterThan(0)
      for (const log of logs) expect(log.lines.filter((l) => l.level === 'error')).toEqual([])
    } finally {
      if (other !== db) await other.close()
    }
    await build()
    const states = await indexStates(db, 'account')
    for (const name of ['account_region_id_idx', 'account_name_trgm', 'account_phone_id_idx'])
      expect(states[name]).toBe(true)
    expect(await build()).toBe(0)
  })

  it('leaves a missing unique index to a publish: duplicates could refuse it', async () => {
    await db.query(sql`drop index app.account_code_key`)
    expect(await build()).toBe(0)
    expect(await indexStates(db, 'account')).not.toHaveProperty('account_code_key')
    const { plan } = await publishMetadata(ctx, bundle)
    expect(plan.steps.map((s) => [s.description, s.field])).toEqual([
      ['unique index account_code_key', 'code'],
    ])
    expect((await loadPublishedMetadata(db)).version).toBe(2)
  })
})
