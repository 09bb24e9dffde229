import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'
import { buildMissingIndexes, listExistingObjects } from '../../runtime/schema'
import { searchRecords } from '../../runtime/search'
import { testTargets, type TestTarget } from '../support/databases'

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
const bundle = { packages: [], entities: [account], forms: [], views: [] }

async function indexNames(db: Db) {
  const rows = await db.query<{ indexname: string }>(
    sql`select indexname from pg_indexes where schemaname = 'app' and tablename = 'account'`,
  )
  return rows.map((r) => r.indexname).sort()
}

/** Publishes `account`, adds two rows and searches them: what must work without pg_trgm. */
async function publishAndSearch(db: Db) {
  const { plan, meta } = await publishMetadata(publishCtx(db), bundle)
  await db.query(
    sql`insert into app.account (name, phone) values ('Acme Trading', '0755-1234'), ('Other', '010')`,
  )
  const ctx: Ctx = { ...publishCtx(db), meta }
  const found = await searchRecords(ctx, { q: 'acme' })
  return { plan, titles: found.data.map((h) => h.title) }
}

/** A fresh database the platform migrations have not run on yet (PostgreSQL: beside the test one). */
async function openUnmigrated(target: TestTarget): Promise<{ db: Db; close(): Promise<void> }> {
  if (target.name === 'pglite') {
    const db = await openDb({ dataDir: 'memory://' })
    return { db, close: () => db.close() }
  }
  const base = process.env.TEST_DATABASE_URL!
  const name = `trellis_t_${randomBytes(6).toString('hex')}`
  const admin = postgres(base, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  const db = await openDb({ url: url.toString(), max: 4 })
  return {
    db,
    async close() {
      await db.close()
      const cleanup = postgres(base, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

const publishCtx = (db: Db) => ({
  db,
  user: SYSTEM_USER,
  clock: fixedClock('2026-01-01T00:00:00Z'),
  log: silentLogger,
})

describe.each(testTargets())('schema sync without pg_trgm on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  const build = () => buildMissingIndexes(db, [account], { log: silentLogger, concurrently: false })

  beforeAll(async () => {
    ;({ db, close } = await openUnmigrated(target))
    // Something in the way makes `create extension pg_trgm` fail, as a server without contrib
    // or a managed one that does not allow the extension would.
    await db.query(sql`create function public.show_trgm(text) returns text[] language sql
      as 'select null::text[]'`)
  })
  afterAll(() => close())

  it('migrates a database where pg_trgm cannot be created', async () => {
    await migratePlatform(db)
    expect(await db.query(sql`select 1 from pg_extension where extname = 'pg_trgm'`)).toEqual([])
    expect((await listExistingObjects(db)).trigram).toBe(false)
  })

  it('publishes, plans, repairs and searches with no trigram index', async () => {
    const { plan, titles } = await publishAndSearch(db)
    expect(plan.steps.filter((s) => s.kind === 'createIndex').map((s) => s.description)).toEqual([
      'index account_created_at_id_idx',
      'index account_created_by_id_idx',
      'index account_name_id_idx',
      'index account_phone_id_idx',
    ])
    expect(titles).toEqual(['Acme Trading'])
    expect((await indexNames(db)).filter((n) => n.endsWith('_trgm'))).toEqual([])
    const current = await loadPublishedMetadata(db)
    const dry = await publishMetadata(publishCtx(db), current.bundle, { dryRun: true })
    expect(dry.plan.steps).toEqual([])
    expect(await build()).toBe(0)
  })

  it('adds the trigram indexes once the extension exists', async () => {
    await db.query(sql`drop function public.show_trgm(text)`)
    await db.query(sql`create extension pg_trgm`)
    expect((await listExistingObjects(db)).trigram).toBe(true)
    const current = await loadPublishedMetadata(db)
    const dry = await publishMetadata(publishCtx(db), current.bundle, { dryRun: true })
    expect(dry.plan.steps.map((s) => s.description)).toEqual([
      'index account_name_trgm',
      'index account_phone_trgm',
    ])
    expect(await build()).toBe(2)
    expect(await indexNames(db)).toEqual(
      expect.arrayContaining(['account_name_trgm', 'account_phone_trgm']),
    )
  })
})
