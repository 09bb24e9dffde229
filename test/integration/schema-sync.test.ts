import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { ConflictError, DefinitionError } from '../../runtime/errors'
import {
  applyDrafts,
  loadPublishedMetadata,
  planDrafts,
  publishMetadata,
  saveDraft,
  type MetadataBundle,
  type PublishCtx,
} from '../../runtime/registry'
import { buildMissingIndexes } from '../../runtime/schema'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

const company: Entity = {
  id: 'company',
  label: label('Company'),
  titleField: 'name',
  searchFields: ['name'],
  ownerField: 'owner',
  dedup: [{ id: 'sameName', fields: ['name'], match: 'normalized', action: 'block' }],
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'code', type: 'text', label: label('Code'), unique: true },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'dept', type: 'department', label: label('Department') },
    { name: 'revenue', type: 'money', label: label('Revenue') },
    {
      name: 'tags',
      type: 'multiSelect',
      label: label('Tags'),
      options: [{ value: 'a', label: label('A') }],
    },
    { name: 'founded', type: 'date', label: label('Founded') },
    { name: 'parent', type: 'reference', entity: 'company', label: label('Parent') },
    { name: 'lines', type: 'childTable', entity: 'companyLine', label: label('Lines') },
  ],
}
const companyLine: Entity = {
  id: 'companyLine',
  label: label('Line'),
  childOf: 'company',
  fields: [{ name: 'qty', type: 'integer', label: label('Qty') }],
}
const bundle = (entities: Entity[]): MetadataBundle => ({
  packages: [],
  entities,
  forms: [],
  views: [],
})

async function columns(db: Db, table: string) {
  const rows = await db.query<{ column_name: string; data_type: string; is_nullable: string }>(sql`
    select column_name, data_type, is_nullable from information_schema.columns
    where table_schema = 'app' and table_name = ${table} order by ordinal_position`)
  return Object.fromEntries(
    rows.map((r) => [r.column_name, `${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`]),
  )
}

async function indexes(db: Db, table: string) {
  const rows = await db.query<{ indexname: string }>(
    sql`select indexname from pg_indexes where schemaname = 'app' and tablename = ${table}`,
  )
  return rows.map((r) => r.indexname).sort()
}

async function indexDef(db: Db, name: string) {
  const rows = await db.query<{ indexdef: string }>(
    sql`select indexdef from pg_indexes where schemaname = 'app' and indexname = ${name}`,
  )
  return rows[0]?.indexdef
}

describe.each(testTargets())('schema sync on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: PublishCtx
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    ctx = { db, user: SYSTEM_USER, clock: fixedClock('2026-01-01T00:00:00Z'), log: silentLogger }
  })
  afterAll(() => close())

  it('creates a typed table per entity, a table per child table, keys and indexes', async () => {
    const { plan, meta } = await publishMetadata(ctx, bundle([company, companyLine]))
    expect(plan.destructive).toBe(false)
    expect(meta.version).toBe(1)
    const cols = await columns(db, 'company')
    expect(cols).toMatchObject({
      id: 'uuid not null',
      version: 'integer not null',
      name: 'text not null',
      code: 'text',
      owner: 'uuid',
      revenue: 'numeric',
      revenue_currency: 'text',
      tags: 'ARRAY',
      founded: 'date',
      parent: 'uuid',
    })
    expect(cols).not.toHaveProperty('lines')
    expect(await columns(db, 'company_line')).toMatchObject({
      parent_id: 'uuid not null',
      position: 'integer not null',
      qty: 'integer',
    })
    const idx = await indexes(db, 'company')
    expect(idx).toEqual(
      expect.arrayContaining([
        'company_code_key',
        'company_owner_created_at_id_idx',
        'company_parent_id_idx',
        'company_name_id_idx',
        'company_created_at_id_idx',
        'company_name_dedup',
        'company_name_trgm',
      ]),
    )
    expect(await indexDef(db, 'company_name_dedup')).toMatch(/normalize\(name, nfkc\)/i)
    // Search's ILIKE '%text%' reads the title's trigrams; the child table is never searched.
    expect(await indexDef(db, 'company_name_trgm')).toMatch(/using gin \(name gin_trgm_ops\)/i)
    expect((await indexes(db, 'company_line')).filter((i) => i.endsWith('_trgm'))).toEqual([])
    const fks = await db.query<{ conname: string }>(
      sql`select conname from pg_constraint where contype = 'f' and conrelid = 'app.company_line'::regclass`,
    )
    expect(fks.map((f) => f.conname)).toContain('company_line_parent_id_fkey')
    await expect(
      db.query(sql`insert into app.company_line (parent_id) values (gen_random_uuid())`),
    ).rejects.toThrow()
  })

  it('plans added fields as a readable, non-destructive diff and records versions', async () => {
    const next = {
      ...company,
      fields: [
        ...company.fields,
        ...['a1', 'a2', 'a3'].map((n) => ({ name: n, type: 'text' as const, label: label(n) })),
      ],
    }
    const { plan, meta } = await publishMetadata(ctx, bundle([next, companyLine]))
    expect(plan.steps.map((s) => [s.kind, s.field])).toEqual([
      ['addColumn', 'a1'],
      ['addColumn', 'a2'],
      ['addColumn', 'a3'],
    ])
    expect(plan.steps[0].sql).toContain('alter table "app"."company" add column "a1" text')
    expect(meta.version).toBe(2)
    expect(meta.entities.get('company')?.version).toBe(2)
    expect(meta.entities.get('companyLine')?.version).toBe(1)
  })

  it('renames a field by its stable id and keeps the data', async () => {
    await db.query(sql`insert into app.company (name, a1) values ('Acme', 'kept')`)
    const current = await loadPublishedMetadata(db)
    const renamed = structuredClone(current.entities.get('company')!)
    renamed.fields = renamed.fields.map((f) =>
      f.name === 'a1' ? { ...f, id: 'a1', name: 'firstNote' } : f,
    )
    const { plan } = await publishMetadata(ctx, bundle([renamed, companyLine]))
    expect(plan.steps.map((s) => s.kind)).toEqual(['renameColumn'])
    const [row] = await db.query<{ first_note: string }>(
      sql`select first_note from app.company where name = 'Acme'`,
    )
    expect(row.first_note).toBe('kept')
  })

  it('refuses a destructive step unless confirmed, and changes nothing', async () => {
    const current = await loadPublishedMetadata(db)
    const fewer = structuredClone(current.entities.get('company')!)
    fewer.fields = fewer.fields.filter((f) => f.name !== 'a2')
    await expect(publishMetadata(ctx, bundle([fewer, companyLine]))).rejects.toBeInstanceOf(
      ConflictError,
    )
    expect(await columns(db, 'company')).toHaveProperty('a2')
    expect((await loadPublishedMetadata(db)).version).toBe(current.version)
    const { plan } = await publishMetadata(ctx, bundle([fewer, companyLine]), {
      confirmDestructive: true,
    })
    expect(plan.steps).toEqual([
      expect.objectContaining({ kind: 'dropColumn', field: 'a2', destructive: true }),
    ])
    expect(await columns(db, 'company')).not.toHaveProperty('a2')
  })

  it('rolls the whole apply back when one statement fails', async () => {
    const current = await loadPublishedMetadata(db)
    const broken = structuredClone(current.entities.get('company')!)
    // 'Acme' cannot become an integer: the type change fails after the added column was created.
    broken.fields = [
      ...broken.fields.map((f) => (f.name === 'name' ? { ...f, type: 'integer' as const } : f)),
      { name: 'extra', type: 'text', label: label('x') },
    ]
    const err = await publishMetadata(ctx, bundle([broken, companyLine]), {
      confirmDestructive: true,
    }).catch((e: unknown) => e)
    // A 409 naming the field whose rows refuse the change, not a 500.
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as ConflictError).details).toEqual([
      { path: 'company.name', message: expect.stringContaining('invalid input syntax') },
    ])
    expect(await columns(db, 'company')).not.toHaveProperty('extra')
    expect((await loadPublishedMetadata(db)).version).toBe(current.version)
  })

  it('rejects an invalid bundle with the path of each problem and writes nothing', async () => {
    const current = await loadPublishedMetadata(db)
    const bad = structuredClone(current.entities.get('company')!)
    bad.fields.push({ name: 'ghost', type: 'reference', entity: 'nowhere', label: label('Ghost') })
    const err = await publishMetadata(ctx, bundle([bad, companyLine])).catch((e) => e)
    expect(err).toBeInstanceOf(DefinitionError)
    expect(JSON.stringify(err.details)).toContain('nowhere')
    expect((await loadPublishedMetadata(db)).version).toBe(current.version)
  })

  it('publishes drafts through plan and apply without a restart', async () => {
    const admin = { ...ctx, user: { ...SYSTEM_USER, isAdmin: true } }
    const current = await loadPublishedMetadata(db)
    const draft = structuredClone(current.entities.get('company')!)
    delete draft.version
    draft.fields.push({ name: 'website', type: 'url', label: label('Website') })
    await saveDraft(admin, 'entity', draft)
    const plan = await planDrafts(admin)
    expect(plan.steps.map((s) => s.field)).toEqual(['website'])
    expect(await columns(db, 'company')).not.toHaveProperty('website')
    const { version } = await applyDrafts(admin)
    expect(version).toBe(current.version + 1)
    expect(await columns(db, 'company')).toHaveProperty('website')
    expect((await planDrafts(admin)).steps).toEqual([])
  })

  it('adds back the indexes the metadata implies and the database lacks', async () => {
    // As an older release (or a hand) left it: derived indexes missing, metadata unchanged.
    await db.query(sql`drop index app.company_owner_created_at_id_idx`)
    await db.query(sql`drop index app.company_name_dedup`)
    await db.query(sql`drop index app.company_code_key`)
    // An instance from before trigram indexes: start-up must add the one search uses.
    await db.query(sql`drop index app.company_name_trgm`)
    const current = await loadPublishedMetadata(db)
    const dry = await publishMetadata(ctx, current.bundle, { dryRun: true })
    expect(dry.plan.steps.map((s) => [s.kind, s.description])).toEqual(
      expect.arrayContaining([
        ['createIndex', 'index company_owner_created_at_id_idx'],
        ['createIndex', 'index company_name_dedup'],
        ['createIndex', 'index company_name_trgm'],
        ['createIndex', 'unique index company_code_key'],
      ]),
    )
    expect(dry.plan.steps).toHaveLength(4)
    // Start-up adds the non-unique ones (concurrently on PostgreSQL), then finds none missing...
    const build = () =>
      buildMissingIndexes(db, current.bundle.entities, {
        log: silentLogger,
        concurrently: target.name === 'postgres',
      })
    expect(await build()).toBe(3)
    expect(await build()).toBe(0)
    const idx = await indexes(db, 'company')
    expect(idx).toEqual(
      expect.arrayContaining([
        'company_owner_created_at_id_idx',
        'company_name_dedup',
        'company_name_trgm',
      ]),
    )
    expect(await indexDef(db, 'company_name_trgm')).toMatch(/gin \(name gin_trgm_ops\)/i)
    expect(idx).not.toContain('company_code_key')
    // ...and a publish of the unchanged metadata the unique one, which duplicates could refuse.
    const { plan } = await publishMetadata(ctx, current.bundle)
    expect(plan.steps.map((s) => s.description)).toEqual(['unique index company_code_key'])
    expect(await indexes(db, 'company')).toContain('company_code_key')
    expect((await publishMetadata(ctx, current.bundle, { dryRun: true })).plan.steps).toEqual([])
  })

  it('drops a trigram index before its field stops being text, so the type change applies', async () => {
    const current = await loadPublishedMetadata(db)
    const withTally = (type: 'text' | 'integer'): MetadataBundle => ({
      ...current.bundle,
      entities: [
        ...current.bundle.entities,
        {
          id: 'tally',
          label: label('Tally'),
          searchFields: ['ref'],
          fields: [{ name: 'ref', type, label: label('Ref') }],
        },
      ],
    })
    await publishMetadata(ctx, withTally('text'))
    expect(await indexes(db, 'tally')).toContain('tally_ref_trgm')
    await db.query(sql`insert into app.tally (ref) values ('42')`)
    // A trigram index cannot hold integers: rebuilt by the type change, it would fail the apply.
    const { plan } = await publishMetadata(ctx, withTally('integer'), { confirmDestructive: true })
    expect(plan.steps.map((s) => [s.kind, s.description])).toEqual([
      ['dropIndex', 'drop index tally_ref_trgm of tally'],
      ['alterColumnType', expect.stringContaining('from text to integer')],
    ])
    const idx = await indexes(db, 'tally')
    expect(idx).toContain('tally_ref_id_idx')
    expect(idx).not.toContain('tally_ref_trgm')
    expect(await db.query(sql`select ref from app.tally`)).toEqual([{ ref: 42 }])
  })

  it('refuses a unique index that duplicates refuse with a 409 naming the field, applying nothing', async () => {
    const current = await loadPublishedMetadata(db)
    // As a hand (or an older release) left it: no unique index, and rows that repeat a code.
    await db.query(sql`drop index app.company_code_key`)
    await db.query(sql`drop index app.company_parent_id_idx`)
    await db.query(
      sql`insert into app.company (name, code) values ('Dup 1', 'D-1'), ('Dup 2', 'D-1')`,
    )
    const next = structuredClone(current.entities.get('company')!)
    next.fields.push({ name: 'memo', type: 'text', label: label('Memo') })
    const others = current.bundle.entities.filter((e) => e.id !== 'company')
    const err = await publishMetadata(ctx, {
      ...current.bundle,
      entities: [next, ...others],
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as ConflictError).status).toBe(409)
    expect((err as ConflictError).message).toContain('unique index company_code_key')
    expect((err as ConflictError).details).toEqual([
      { path: 'company.code', message: expect.stringMatching(/must be unique.*\(code\)=\(D-1\)/) },
    ])
    // The whole publish rolled back: no column, no re-created index, no new version.
    expect(await columns(db, 'company')).not.toHaveProperty('memo')
    expect(await indexes(db, 'company')).not.toContain('company_parent_id_idx')
    expect((await loadPublishedMetadata(db)).version).toBe(current.version)
    // Once the duplicate is gone the same publish applies.
    await db.query(sql`update app.company set code = 'D-2' where name = 'Dup 2'`)
    await publishMetadata(ctx, { ...current.bundle, entities: [next, ...others] })
    expect(await indexes(db, 'company')).toEqual(
      expect.arrayContaining(['company_code_key', 'company_parent_id_idx']),
    )
  })
})
