import { sql } from 'drizzle-orm'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../../runtime/context'
import { importErrorFile, runImport, type ImportInput } from '../../runtime/io'
import { bulkWriterOf } from '../../runtime/io/import-bulk'
import { createRecord, entityPlan } from '../../runtime/records'
import { createMetadataCache, type MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { userCtx } from '../support/user-ctx'
import { IMPORT_BUNDLE } from './import-fixture'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

const region: Entity = {
  id: 'region',
  module: 'sales',
  label: label('Region'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'code', type: 'text', label: label('Code'), unique: true },
  ],
}

/** Every kind of thing a row goes through: auto-number, unique field, default, formula, rule… */
const account: Entity = {
  id: 'account',
  module: 'sales',
  label: label('Account'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true, maxLength: 100 },
    { name: 'number', type: 'autoNumber', label: label('Number'), pattern: 'ACC-{####}' },
    { name: 'taxId', type: 'text', label: label('Tax id'), unique: true },
    { name: 'phone', type: 'phone', label: label('Phone') },
    {
      name: 'level',
      type: 'select',
      label: label('Level'),
      default: 'C',
      options: ['A', 'B', 'C'].map((value) => ({ value, label: label(value) })),
    },
    { name: 'employees', type: 'integer', label: label('Employees'), min: 0 },
    { name: 'revenue', type: 'money', label: label('Revenue'), currency: 'CNY' },
    {
      name: 'size',
      type: 'formula',
      label: label('Size'),
      resultType: 'number',
      formula: { '*': [{ var: 'employees' }, 2] },
    },
    { name: 'region', type: 'reference', entity: 'region', label: label('Region') },
    {
      name: 'tags',
      type: 'multiSelect',
      label: label('Tags'),
      options: ['hot', 'cold'].map((value) => ({ value, label: label(value) })),
    },
    { name: 'owner', type: 'user', label: label('Owner'), default: { dynamic: 'currentUser' } },
  ],
  validations: [
    {
      id: 'bigNeedsRevenue',
      field: 'revenue',
      rule: { or: [{ '<': [{ var: 'employees' }, 1000] }, { '!=': [{ var: 'revenue' }, null] }] },
      message: label('A company this big needs its revenue'),
    },
  ],
  dedup: [
    { id: 'name', fields: ['name'], match: 'normalized', action: 'block' },
    { id: 'phone', fields: ['phone'], match: 'normalized', action: 'warn' },
  ],
}

const BUNDLE: MetadataBundle = {
  ...IMPORT_BUNDLE,
  entities: [...IMPORT_BUNDLE.entities, region, account],
}

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`

/** Upserts by name: new rows, updates, a no-op, duplicates inside the file, bad rows, references. */
const UPSERT_BY_NAME = csv([
  'Name,Tax id,Level,Employees,Revenue,Region,Tags,Phone',
  'New A,T-10,A,10,100.5,North,hot,+86 139 0000 0001',
  'existing one,,B,6,,S1,,',
  'Same Co,,,7,,,,',
  'New B,,,3,,South,hot;cold,+86 139 0000 0001',
  'New A,,,11,,,,',
  'Bad Num,,,many,,,,',
  'Bad Region,,,1,,Atlantis,,',
  'Bad Rule,,,5000,,,,',
  ',,,1,,,,',
  'Bad Level,,Z,1,,,,',
  'New C,T-1,,1,,,,',
  'NEW  b,,C,4,,,,',
  'New D,,A,2,,North,,',
  'Big Co,,,5000,"1,000",N1,,',
])

/** Inserts: one blocked by a stored record, one by an earlier row of the file. */
const INSERTS = csv(['Name,Employees', 'Blocked Ltd,1', 'Fresh 1,2', 'fresh  1,3', 'Fresh 2,4'])

/** Upserts by a unique field (exact match). */
const UPSERT_BY_TAX_ID = csv([
  'Tax id,Name,Employees',
  'T-1,Existing One,8',
  'T-99,Taxed New,1',
  't-1,Other,1',
])

/** The clerk upserting customers by their unique code: the one-statement update, row by row. */
const CUSTOMERS_BY_CODE = csv(['Code,Employees', 'K-1,9', 'K-2,4', 'K-1,10', 'K-3,x'])

/** One instance: the fixture's database and contexts for its admin and clerk. */
interface Instance {
  f: AppFixture
  admin: Ctx
  clerk: Ctx
}

async function ctxOf(f: AppFixture, username: string): Promise<Ctx> {
  const meta = await createMetadataCache(f.db).current()
  return userCtx(f.db, meta, username, undefined, ['clerk'])
}

/** A fresh instance with the same stored records, written through the API's create. */
async function openInstance(target: Parameters<typeof openAppFixture>[0]): Promise<Instance> {
  const f = await openAppFixture(target, { bundle: BUNDLE })
  const admin = await ctxOf(f, 'admin')
  const north = await createRecord(admin, 'region', { name: 'North', code: 'N1' })
  await createRecord(admin, 'region', { name: 'South', code: 'S1' })
  await createRecord(admin, 'account', { name: 'Existing One', taxId: 'T-1', employees: 5 })
  await createRecord(admin, 'account', { name: 'Same Co', employees: 7, level: 'B' })
  await createRecord(admin, 'account', {
    name: 'Blocked Ltd',
    region: north.record.id,
    phone: '+86 139 0000 0001',
  })
  await createRecord(admin, 'customer', { name: 'Kilo', code: 'K-1', employees: 1 })
  await createRecord(admin, 'customer', { name: 'Lima', code: 'K-3', employees: 2 })
  return { f, admin, clerk: await ctxOf(f, 'clerk') }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Every id in `value` replaced by what it names (`account:New A`, `user:admin`). */
function named(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === 'string' && UUID.test(value)) return names.get(value.toLowerCase()) ?? '?'
  if (Array.isArray(value)) return value.map((v) => named(v, names))
  if (value instanceof Date) return value.toISOString()
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, named(v, names)]))
  return value
}

const sorted = (rows: unknown[]) =>
  rows.map((r) => JSON.stringify(r)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** Records, audit rows and outbox events of an instance, ids replaced by names, times left out. */
async function snapshot(db: AppFixture['db']) {
  const names = new Map<string, string>()
  for (const [table, column] of [['users', 'username']] as const)
    for (const r of await db.query(
      sql`select id::text as id, ${sql.identifier(column)} as n from ${sql.identifier(table)}`,
    ))
      names.set(String(r.id), `user:${r.n}`)
  for (const entity of ['region', 'account', 'customer'])
    for (const r of await db.query(
      sql`select id::text as id, name from ${sql.identifier('app')}.${sql.identifier(entity)}`,
    ))
      names.set(String(r.id), `${entity}:${r.name}`)
  const records: Record<string, string[]> = {}
  for (const entity of ['account', 'customer']) {
    const rows = await db.query(
      sql`select * from ${sql.identifier('app')}.${sql.identifier(entity)}`,
    )
    records[entity] = sorted(
      rows.map(({ created_at: _c, updated_at: _u, ...row }) => named(row, names)),
    )
  }
  const audit = await db.query(
    sql`select entity, record_id::text as record, action, user_id::text as "user", request_id, changes, version
      from audit_log where entity in ('account', 'customer')`,
  )
  const outbox = await db.query(
    sql`select entity, record_id::text as record, event, payload, user_id::text as "user"
      from outbox where entity in ('account', 'customer')`,
  )
  const jobs = await db.query(
    sql`select entity, status, rows_done, total_rows, inserted, updated, failed, error
      from import_jobs order by created_at`,
  )
  return {
    records,
    audit: sorted(audit.map((r) => named(r, names))),
    outbox: sorted(outbox.map((r) => named(r, names))),
    jobs,
  }
}

async function errorText(ctx: Ctx, jobId: string): Promise<string> {
  let text = ''
  for await (const chunk of importErrorFile(ctx, jobId)) text += chunk
  return text
}

describe.each(testTargets())('bulk and per-row imports on $name', (target) => {
  let rows: Instance
  let bulk: Instance
  const dir = mkdtempSync(join(tmpdir(), 'trellis-import-bulk-'))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return { path, name }
  }

  beforeAll(async () => {
    rows = await openInstance(target)
    bulk = await openInstance(target)
  }, 240_000)
  afterAll(async () => {
    await rows?.f.close()
    await bulk?.f.close()
  })

  /** The same import on both instances: per-row on one, bulk on the other; the jobs agree. */
  async function both(
    who: 'admin' | 'clerk',
    entity: string,
    name: string,
    text: string,
    input: ImportInput,
  ) {
    const f = file(name, text)
    const a = await runImport(rows[who], entity, f, { ...input, writePath: 'rows' })
    const b = await runImport(bulk[who], entity, f, input)
    const strip = ({ id: _i, userId: _u, ...job }: typeof a) => job
    expect(strip(b)).toEqual(strip(a))
    expect(await errorText(bulk[who], b.id)).toBe(await errorText(rows[who], a.id))
    return { a, b }
  }

  it('takes the bulk path for an unrestricted caller on a plain entity', () => {
    const plan = entityPlan(bulk.admin.meta, 'account')
    expect(bulkWriterOf(bulk.admin, plan, null)).not.toBeNull()
    // A child table (quote lines) keeps the per-row path.
    expect(bulkWriterOf(bulk.admin, entityPlan(bulk.admin.meta, 'quote'), null)).toBeNull()
  })

  it('upserts by a normalised rule with duplicates inside the file, bad rows and references', async () => {
    const { b } = await both('admin', 'account', 'by-name.csv', UPSERT_BY_NAME, {
      key: 'name',
      batchSize: 6,
    })
    expect(b).toMatchObject({ inserted: 4, updated: 4, failed: 6, rowsDone: 14 })
    // The bulk rows of a batch were written together: one write moment for several creates.
    const [{ creates, moments }] = await bulk.f.db.query<{ creates: number; moments: number }>(
      sql`select count(*)::int as creates, count(distinct at)::int as moments from audit_log
        where entity = 'account' and action = 'created' and record_id in
          (select id from app.account where name in ('New A', 'NEW  b', 'New D', 'Big Co'))`,
    )
    expect(creates).toBe(4)
    expect(moments).toBeLessThan(creates)
  })

  it('inserts with a block rule refusing stored and in-file duplicates', async () => {
    const { b } = await both('admin', 'account', 'inserts.csv', INSERTS, { batchSize: 10 })
    expect(b).toMatchObject({ inserted: 2, failed: 2 })
  })

  it('upserts by a unique field, matched exactly', async () => {
    const { b } = await both('admin', 'account', 'by-tax-id.csv', UPSERT_BY_TAX_ID, {
      key: 'taxId',
    })
    expect(b).toMatchObject({ inserted: 2, updated: 1, failed: 0 })
  })

  it("upserts as a role's member through the one-statement update", async () => {
    const { b } = await both('clerk', 'customer', 'by-code.csv', CUSTOMERS_BY_CODE, {
      key: 'code',
      mapping: { Code: 'code', Employees: 'employees' },
    })
    // K-2 is new and has no name (refused), K-3's employees are no number.
    expect(b).toMatchObject({ updated: 2, failed: 2 })
  })

  it('leaves both instances with the same records, audit rows and outbox events', async () => {
    const [a, b] = [await snapshot(rows.f.db), await snapshot(bulk.f.db)]
    expect(b.records).toEqual(a.records)
    expect(b.audit).toEqual(a.audit)
    expect(b.outbox).toEqual(a.outbox)
    expect(b.jobs).toEqual(a.jobs)
    expect(b.records.account.length).toBeGreaterThan(8)
  })
})

const postgres = testTargets().find((t) => t.name === 'postgres')

describe.runIf(postgres)('bulk imports racing each other (PostgreSQL)', () => {
  let instance: Instance
  const dir = mkdtempSync(join(tmpdir(), 'trellis-import-race-'))
  const raceFile = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return { path, name }
  }
  beforeAll(async () => {
    instance = await openInstance(postgres!)
  }, 240_000)
  afterAll(async () => instance?.f.close())

  it('two bulk imports of the same names at once write each name once (PostgreSQL)', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `Race ${i}`)
    const one = raceFile('race-1.csv', csv(['Name', ...names]))
    const two = raceFile(
      'race-2.csv',
      csv(['Name', ...[...names].reverse().map((n) => n.toUpperCase())]),
    )
    const jobs = await Promise.all([
      runImport(instance.admin, 'account', one, { batchSize: 100 }),
      runImport(instance.admin, 'account', two, { batchSize: 100 }),
    ])
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done'])
    expect(jobs[0].inserted + jobs[1].inserted).toBe(300)
    expect(jobs[0].failed + jobs[1].failed).toBe(300)
    const [{ n, distinct }] = await instance.f.db.query<{ n: number; distinct: number }>(
      sql`select count(*)::int as n, count(distinct lower(name))::int as distinct
          from app.account where name ilike 'race %'`,
    )
    expect({ n, distinct }).toEqual({ n: 300, distinct: 300 })
  }, 120_000)

  it('two bulk upserts by the name rule at once create each name once and update it once (PostgreSQL)', async () => {
    // The key's block rule is locked before the key probe, which then also answers its check.
    const names = Array.from({ length: 300 }, (_, i) => `Upsert race ${i}`)
    const one = raceFile('upsert-1.csv', csv(['Name,Employees', ...names.map((n) => `${n},1`)]))
    const two = raceFile(
      'upsert-2.csv',
      csv(['Name,Employees', ...[...names].reverse().map((n) => `${n.toUpperCase()},2`)]),
    )
    const jobs = await Promise.all([
      runImport(instance.admin, 'account', one, { key: 'name', batchSize: 100 }),
      runImport(instance.admin, 'account', two, { key: 'name', batchSize: 100 }),
    ])
    expect(jobs.map((j) => [j.status, j.failed])).toEqual([
      ['done', 0],
      ['done', 0],
    ])
    expect(jobs[0].inserted + jobs[1].inserted).toBe(300)
    expect(jobs[0].updated + jobs[1].updated).toBe(300)
    const [{ n, distinct, versions }] = await instance.f.db.query<{
      n: number
      distinct: number
      versions: number
    }>(
      sql`select count(*)::int as n, count(distinct lower(name))::int as distinct,
          sum(version)::int as versions from app.account where name ilike 'upsert race %'`,
    )
    expect({ n, distinct, versions }).toEqual({ n: 300, distinct: 300, versions: 600 })
  }, 120_000)
})
