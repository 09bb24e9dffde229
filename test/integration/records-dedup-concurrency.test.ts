import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { APP_SCHEMA, dedupExpression } from '../../runtime/schema'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

/**
 * Blocking de-duplication rules under concurrency: however many writers race, a block rule
 * leaves one record per key, on create and on update, on PGlite and on PostgreSQL.
 */

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

const company: Entity = {
  id: 'company',
  label: label('Company'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true, maxLength: 100 },
    { name: 'email', type: 'email', label: label('Email') },
  ],
  dedup: [
    { id: 'sameName', fields: ['name'], match: 'normalized', action: 'block' },
    { id: 'sameEmail', fields: ['email'], match: 'exact', action: 'warn' },
  ],
}

/** A rule over two fields, compared exactly: an empty part means the rule does not apply. */
const part: Entity = {
  id: 'part',
  label: label('Part'),
  titleField: 'code',
  fields: [
    { name: 'code', type: 'text', label: label('Code'), required: true },
    { name: 'batch', type: 'integer', label: label('Batch') },
    { name: 'note', type: 'text', label: label('Note') },
  ],
  dedup: [{ id: 'codeBatch', fields: ['code', 'batch'], match: 'exact', action: 'block' }],
}

const BUNDLE = { ...FIXTURE_BUNDLE, entities: [...FIXTURE_BUNDLE.entities!, company, part] }
const N = 200

type Rec = Record<string, unknown>

describe.each(testTargets())('blocking dedup rules under concurrency on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target, { bundle: BUNDLE })
  }, 60_000)
  afterAll(() => f?.close())

  const post = (entity: string, body: Rec) =>
    f.call('POST', `/api/data/${entity}`, { token: f.adminToken, body })
  const patch = (entity: string, id: string, body: Rec) =>
    f.call('PATCH', `/api/data/${entity}/${id}`, { token: f.adminToken, body })
  const statuses = (replies: Response[]) => replies.map((r) => r.status).sort()
  const count = async (table: string, where = sql`true`) => {
    const ident = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(table)}`
    const rows = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from ${ident} where ${where}`,
    )
    return rows[0].n
  }
  const normalized = (key: string) => sql`${dedupExpression(sql`name`)} = ${key}`
  const expectOneCreated = (replies: Response[]) =>
    expect(statuses(replies)).toEqual([201, ...Array<number>(replies.length - 1).fill(409)])

  it(`creates one record of ${N} simultaneous identical creates`, async () => {
    const replies = await Promise.all(
      Array.from({ length: N }, () => post('company', { name: 'Dup Co identical' })),
    )
    expectOneCreated(replies)
    expect(await count('company', sql`name = 'Dup Co identical'`)).toBe(1)
  })

  it(`creates one record of ${N} simultaneous creates differing in case and spaces`, async () => {
    const variants = (i: number) =>
      [
        'Dup Co variant',
        'dup co variant',
        '  DUP CO VARIANT ',
        'Dup   Co\tVariant',
        'Ｄｕｐ Ｃｏ ｖａｒｉａｎｔ',
      ][i % 5]
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => post('company', { name: variants(i) })),
    )
    expectOneCreated(replies)
    const conflict = (await replies.find((r) => r.status === 409)!.json()) as Rec
    expect(conflict).toMatchObject({ error: { code: 'conflict' } })
    expect(await count('company', normalized('dup co variant'))).toBe(1)
  })

  it('lets one of many simultaneous updates take a name, creates and updates racing', async () => {
    const ids: string[] = []
    for (let i = 0; i < 40; i++) {
      const res = await post('company', { name: `Mover ${i}` })
      expect(res.status).toBe(201)
      ids.push(((await res.json()) as Rec).id as string)
    }
    const replies = await Promise.all([
      ...ids.map((id, i) =>
        patch('company', id, { name: i % 2 ? 'Taken Name' : 'TAKEN  name', version: 1 }),
      ),
      ...Array.from({ length: 20 }, () => post('company', { name: 'taken name' })),
    ])
    const ok = replies.filter((r) => r.status === 200 || r.status === 201)
    expect(ok).toHaveLength(1)
    expect(replies.filter((r) => r.status === 409)).toHaveLength(replies.length - 1)
    expect(await count('company', normalized('taken name'))).toBe(1)
  })

  it('holds a two-field exact rule and leaves a rule with an empty part out', async () => {
    const same = await Promise.all(
      Array.from({ length: N / 2 }, () => post('part', { code: 'P-1', batch: 7 })),
    )
    expectOneCreated(same)
    // Exact: another case is another key; no batch: the rule does not apply at all.
    const other = await Promise.all([
      ...Array.from({ length: 20 }, () => post('part', { code: 'p-1', batch: 7 })),
      ...Array.from({ length: 20 }, () => post('part', { code: 'P-1' })),
    ])
    expect(statuses(other.slice(0, 20))).toEqual([201, ...Array<number>(19).fill(409)])
    expect(statuses(other.slice(20))).toEqual(Array<number>(20).fill(201))
    expect(await count('part', sql`code = 'P-1' and batch = 7`)).toBe(1)
    expect(await count('part', sql`code = 'P-1' and batch is null`)).toBe(20)
  })

  it('blocks simultaneous updates that change one part of a two-field key into a duplicate', async () => {
    const ids: string[] = []
    for (let i = 0; i < 30; i++) {
      const res = await post('part', { code: 'P-2', batch: 100 + i })
      expect(res.status).toBe(201)
      ids.push(((await res.json()) as Rec).id as string)
    }
    const replies = await Promise.all(ids.map((id) => patch('part', id, { batch: 1, version: 1 })))
    expect(statuses(replies)).toEqual([200, ...Array<number>(29).fill(409)])
    expect(await count('part', sql`code = 'P-2' and batch = 1`)).toBe(1)
  })

  it('still only warns for a warn rule, however many writers race', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post('company', { name: `Warned ${i}`, email: 'same@example.com' }),
      ),
    )
    expect(statuses(replies)).toEqual(Array<number>(20).fill(201))
    expect(await count('company', sql`email = 'same@example.com'`)).toBe(20)
  })

  it('compares names with quotes, backslashes, braces and commas exactly as typed', async () => {
    const name = `O'Brien \\ {"Co"}, Ltd.`
    const first = await post('company', { name })
    expect(first.status).toBe(201)
    const created = (await first.json()) as Rec
    for (const again of [name, `  o'brien \\ {"co"},   LTD. `]) {
      const reply = await post('company', { name: again })
      expect(reply.status).toBe(409)
      const body = (await reply.json()) as { error: { existing: Rec } }
      expect(body.error.existing).toMatchObject({ id: created.id, title: name })
    }
    // Near misses are not duplicates: the values reach the probe intact.
    for (const other of [`O'Brien \\ {"Co"} Ltd.`, `O'Brien \\\\ {"Co"}, Ltd.`]) {
      expect((await post('company', { name: other })).status).toBe(201)
    }
    expect(await count('company', sql`name like 'O''Brien%'`)).toBe(3)
  })

  it('writes nothing for a blocked create: no audit row, no outbox event', async () => {
    const audited = () =>
      count('company').then(async (rows) => {
        const [a] = await f.db.query<{ n: number }>(
          sql`select count(*)::int as n from audit_log where entity = 'company'`,
        )
        const [o] = await f.db.query<{ n: number }>(
          sql`select count(*)::int as n from outbox where entity = 'company'`,
        )
        return [rows, a.n, o.n]
      })
    expect((await post('company', { name: 'Only once' })).status).toBe(201)
    const before = await audited()
    expect((await post('company', { name: 'ONLY  once' })).status).toBe(409)
    expect(await audited()).toEqual(before)
  })

  it('keeps guarding after a transaction that prepared its probe rolled back', async () => {
    const probe = `select exists (select 1 from ${APP_SCHEMA}.company t where t.name = $1[1])`
    const guard = (name: string) =>
      sql`select trellis_dedup_clear(array[hashtext('t'), hashtext(${name})]::int[], ${probe}::text, array[${name}]::text[]) as clear`
    // More rounds than pool connections: some connection sees the rollback, then a later guard.
    for (let i = 0; i < 24; i++) {
      await expect(
        f.db.transaction(async (tx) => {
          await tx.query(guard('Only once'))
          throw new Error('roll back')
        }),
      ).rejects.toThrow('roll back')
      const [row] = await f.db.query<{ clear: boolean }>(guard(i % 2 ? 'Only once' : 'Nobody'))
      expect(row.clear).toBe(i % 2 === 0)
    }
  })
})
