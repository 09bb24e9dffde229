import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError, TrellisError, ValidationError } from '../../runtime/errors'
import {
  createRecord,
  deleteRecord,
  getRecord,
  getRecordHistory,
  listRecords,
  updateRecord,
} from '../../runtime/records'
import { createMemoryFileStore, storeFile } from '../../runtime/files'
import { testTargets } from '../support/databases'
import { openRecordsFixture, type RecordsFixture } from './records-fixture'

const MISSING = '00000000-0000-4000-8000-000000000001'

/** Runs `fn`, expects a TrellisError, returns it. */
async function failure(fn: () => Promise<unknown>): Promise<TrellisError> {
  try {
    await fn()
  } catch (err) {
    if (err instanceof TrellisError) return err
    throw err
  }
  throw new Error('expected a failure')
}

describe.each(testTargets())('records on $name', (target) => {
  let f: RecordsFixture
  beforeAll(async () => {
    f = await openRecordsFixture(target)
  })
  afterAll(() => f?.close())

  const count = async (table: string) =>
    Number(
      (
        await f.db.query<{ n: number }>(
          sql`select count(*)::int as n from ${sql.identifier('app')}.${sql.identifier(table)}`,
        )
      )[0].n,
    )

  it('creates a record with every field type and reads it back in the API conventions', async () => {
    // Attachment fields hold files stored first; the record keeps their name, type and size.
    const ctx = { ...f.ctx, files: createMemoryFileStore() }
    const logo = { name: 'logo.png', type: 'image/png', size: 10 }
    const file = { name: 'a.pdf', type: 'application/pdf', size: 8 }
    const logoId = await storeFile(ctx, { ...logo, bytes: Buffer.from('0123456789') })
    const fileId = await storeFile(ctx, { ...file, bytes: Buffer.from('%PDF-1.7') })
    const input = {
      name: 'Acme  Trading',
      email: 'sales@acme.test',
      phone: '+86 21 5555 0000',
      site: 'https://acme.test/about',
      level: 'A',
      tags: ['vip', 'x:y'],
      credit: { amount: 1200.5 },
      rate: 12.5,
      employees: 12,
      score: 3.25,
      lastContact: '2026-03-14T18:30:00+08:00',
      region: 'East',
      owner: f.user.id,
      notes: 'long text',
      bio: '<p>rich</p>',
      extra: { a: [1, 'two', null] },
      logo: { id: logoId },
      files: [{ id: fileId }],
    }
    const { record, warnings } = await createRecord(ctx, 'customer', input)
    expect(warnings).toEqual([])
    const expected = {
      ...input,
      logo: { id: logoId, ...logo },
      files: [{ id: fileId, ...file }],
      credit: { amount: 1200.5, currency: 'CNY' },
      lastContact: '2026-03-14T10:30:00.000Z',
      code: 'C-2026-0001',
      active: true,
      since: '2026-03-15',
      status: 'new',
      display: 'Acme  Trading (A)',
      shout: 'Acme  Trading (A)!',
      version: 1,
      createdAt: '2026-03-15T08:00:00.000Z',
      updatedAt: '2026-03-15T08:00:00.000Z',
      createdBy: f.user.id,
      updatedBy: f.user.id,
    }
    expect(record).toEqual({ id: record.id, ...expected })
    expect(await getRecord(f.ctx, 'customer', record.id as string)).toEqual(record)
    const listed = await listRecords(f.ctx, 'customer', {
      filter: { '==': [{ var: 'id' }, record.id as string] },
    })
    expect(listed.data).toEqual([record])
  })

  it('collects every failing field in one 422 and writes nothing', async () => {
    const before = await count('customer')
    const err = await failure(() =>
      createRecord(f.ctx, 'customer', {
        name: '',
        email: 'not-an-email',
        level: 'Z',
        tags: ['nope'],
        credit: { amount: 1, currency: 'usd' },
        rate: 101,
        employees: 1.5,
        lastContact: 'yesterday',
        owner: 'abc',
        colour: 'red',
        code: 'C-1',
        display: 'x',
        version: 3,
      }),
    )
    expect(err).toBeInstanceOf(ValidationError)
    expect(err.details.map((d) => d.path).sort()).toEqual(
      [
        'name',
        'email',
        'level',
        'tags[0]',
        'credit.currency',
        'rate',
        'employees',
        'lastContact',
        'owner',
        'colour',
        'code',
        'display',
      ].sort(),
    )
    expect(await count('customer')).toBe(before)
  })

  it('blocks a normalised duplicate naming the existing record, and warns on an exact one', async () => {
    const err = await failure(() =>
      createRecord(f.ctx, 'customer', { name: '  ＡＣＭＥ   trading ' }),
    )
    expect(err).toBeInstanceOf(ConflictError)
    expect(err.message).toContain('Acme  Trading')
    expect(err.extra.existing).toMatchObject({ title: 'Acme  Trading' })
    expect(err.details[0].path).toBe('name')
    const { warnings } = await createRecord(f.ctx, 'customer', {
      name: 'Other',
      email: 'sales@acme.test',
    })
    expect(warnings).toEqual([{ path: 'email', message: 'Another customer has this email' }])
  })

  it('enforces validation rules and form rules with the field as path', async () => {
    const small = await failure(() =>
      createRecord(f.ctx, 'customer', { name: 'Small A', level: 'A', employees: 2, region: 'x' }),
    )
    expect(small.details).toEqual([{ path: 'employees', message: 'Level A needs 10 employees' }])
    const noRegion = await failure(() =>
      createRecord(f.ctx, 'customer', { name: 'Big A', level: 'A', employees: 20 }),
    )
    expect(noRegion.details).toEqual([{ path: 'region', message: 'is required' }])
    const { record } = await createRecord(f.ctx, 'customer', {
      name: 'Cee',
      level: 'C',
      notes: null,
    })
    const locked = await failure(() =>
      updateRecord(f.ctx, 'customer', record.id as string, { notes: 'changed' }, 1),
    )
    expect(locked.details).toEqual([{ path: 'notes', message: 'is read-only' }])
    const ok = await updateRecord(
      f.ctx,
      'customer',
      record.id as string,
      { level: 'B', notes: 'now editable' },
      1,
    )
    expect(ok.record).toMatchObject({ notes: 'now editable', version: 2, display: 'Cee (B)' })
    // Nothing is locked before a record exists: a new level-C record may carry notes.
    const born = await createRecord(f.ctx, 'customer', { name: 'Cee Two', level: 'C', notes: 'x' })
    expect(born.record).toMatchObject({ notes: 'x' })
    // An edit that locks the field may still fill it in the same save.
    const relock = await updateRecord(
      f.ctx,
      'customer',
      record.id as string,
      { level: 'C', notes: 'final' },
      2,
    )
    expect(relock.record).toMatchObject({ notes: 'final', level: 'C' })
  })

  it('accepts a round-tripped record and rejects changed read-only fields', async () => {
    const { record } = await createRecord(f.ctx, 'customer', { name: 'Round Trip' })
    const same = await updateRecord(
      f.ctx,
      'customer',
      record.id as string,
      { ...record, employees: 5 },
      undefined,
    )
    expect(same.record).toMatchObject({ employees: 5, version: 2 })
    const err = await failure(() =>
      updateRecord(
        f.ctx,
        'customer',
        record.id as string,
        { code: 'C-9', createdAt: '2020-01-01T00:00:00.000Z', status: 'won' },
        2,
      ),
    )
    expect(err.details.map((d) => d.path).sort()).toEqual(['code', 'createdAt', 'status'])
  })

  it('requires the expected version and answers a stale one with 409 and the current version', async () => {
    const { record } = await createRecord(f.ctx, 'customer', { name: 'Versioned' })
    const id = record.id as string
    const missing = await failure(() =>
      updateRecord(f.ctx, 'customer', id, { employees: 1 }, undefined),
    )
    expect(missing).toBeInstanceOf(ValidationError)
    expect(missing.details[0].path).toBe('version')
    await updateRecord(f.ctx, 'customer', id, { employees: 1 }, 1)
    const stale = await failure(() => updateRecord(f.ctx, 'customer', id, { employees: 2 }, 1))
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.extra.currentVersion).toBe(2)
    expect((await failure(() => deleteRecord(f.ctx, 'customer', id))).details[0].path).toBe(
      'version',
    )
    expect(await failure(() => deleteRecord(f.ctx, 'customer', id, 1))).toBeInstanceOf(
      ConflictError,
    )
    await deleteRecord(f.ctx, 'customer', id, 2)
    expect(await failure(() => getRecord(f.ctx, 'customer', id))).toBeInstanceOf(NotFoundError)
    expect(await failure(() => deleteRecord(f.ctx, 'customer', id, 2))).toBeInstanceOf(
      NotFoundError,
    )
  })

  it('answers unknown entities and malformed or missing ids with 404', async () => {
    expect(await failure(() => getRecord(f.ctx, 'nope', MISSING))).toBeInstanceOf(NotFoundError)
    expect(await failure(() => getRecord(f.ctx, 'customer', 'not-a-uuid'))).toBeInstanceOf(
      NotFoundError,
    )
    expect(await failure(() => getRecord(f.ctx, 'customer', MISSING))).toBeInstanceOf(NotFoundError)
    expect(await failure(() => updateRecord(f.ctx, 'customer', "1' or 1=1", {}, 1))).toBeInstanceOf(
      NotFoundError,
    )
    expect(await failure(() => updateRecord(f.ctx, 'customer', MISSING, {}, 1))).toBeInstanceOf(
      NotFoundError,
    )
  })

  it('keeps an audit history with users and changed fields only, and writes outbox events', async () => {
    const { record } = await createRecord(f.ctx, 'customer', { name: 'Audited', employees: 3 })
    const id = record.id as string
    await updateRecord(f.ctx, 'customer', id, { employees: 4, region: 'North' }, 1)
    await deleteRecord(f.ctx, 'customer', id, 2)
    const history = await getRecordHistory(f.ctx, 'customer', id)
    expect(history.map((h) => [h.action, h.version, h.userName])).toEqual([
      ['deleted', 2, 'Ann Lee'],
      ['updated', 2, 'Ann Lee'],
      ['created', 1, 'Ann Lee'],
    ])
    expect(history[1].changes).toEqual({
      employees: { before: 3, after: 4 },
      region: { before: null, after: 'North' },
    })
    expect(history[2].changes.code).toEqual({
      before: null,
      after: expect.stringMatching(/^C-2026-\d{4}$/),
    })
    expect(history[2].at).toBe('2026-03-15T08:00:00.000Z')
    const events = await f.db.query<{
      event: string
      payload: { id: string; version: number; changes: object }
    }>(sql`select event, payload from outbox where record_id = ${id} order by id`)
    expect(events.map((e) => [e.event, e.payload.version])).toEqual([
      ['created', 1],
      ['updated', 2],
      ['deleted', 2],
    ])
    expect(events[1].payload.changes).toEqual(history[1].changes)
  })

  it('records the action without changes for an entity that does not track them', async () => {
    const { record } = await createRecord(f.ctx, 'contact', { name: 'Bo' })
    await updateRecord(f.ctx, 'contact', record.id as string, { name: 'Bob' }, 1)
    const history = await getRecordHistory(f.ctx, 'contact', record.id as string)
    expect(history.map((h) => [h.action, h.changes])).toEqual([
      ['updated', {}],
      ['created', {}],
    ])
  })

  it('saves child rows with their parent, computing line and parent formulas', async () => {
    const { record } = await createRecord(f.ctx, 'quote', {
      lines: [
        { product: 'A', quantity: 2, price: 10.5 },
        { product: 'B', price: 3 },
      ],
    })
    expect(record).toMatchObject({ number: 'Q-2026-0001', total: 24 })
    expect((record.lines as object[]).map((l) => ({ ...l, id: undefined }))).toEqual([
      { id: undefined, product: 'A', quantity: 2, price: 10.5, amount: 21 },
      { id: undefined, product: 'B', quantity: 1, price: 3, amount: 3 },
    ])
    const got = await getRecord(f.ctx, 'quote', record.id as string)
    expect(got).toEqual(record)
    const bad = await failure(() =>
      updateRecord(
        f.ctx,
        'quote',
        record.id as string,
        { lines: [{ product: 'C' }, { product: '', quantity: 0, colour: 1 }] },
        1,
      ),
    )
    expect(bad.details.map((d) => d.path).sort()).toEqual([
      'lines[1].colour',
      'lines[1].product',
      'lines[1].quantity',
    ])
    const updated = await updateRecord(
      f.ctx,
      'quote',
      record.id as string,
      { lines: [...(got.lines as object[]).slice(1), { product: 'C', quantity: 4, price: 0.25 }] },
      1,
    )
    expect(updated.record).toMatchObject({ version: 2, total: 4 })
    expect((updated.record.lines as { product: string }[]).map((l) => l.product)).toEqual([
      'B',
      'C',
    ])
    expect(await getRecord(f.ctx, 'quote', record.id as string)).toEqual(updated.record)
    const listed = await listRecords(f.ctx, 'quote', {})
    expect(listed.data[0]).not.toHaveProperty('lines')
    await deleteRecord(f.ctx, 'quote', record.id as string, 2)
    expect(await count('quote_line')).toBe(0)
  })

  it('returns the related lists of the default form trimmed to their limit', async () => {
    const { record } = await createRecord(f.ctx, 'customer', { name: 'Related Co' })
    for (const name of ['c1', 'c2', 'c3'])
      await createRecord(f.ctx, 'contact', { name, customer: record.id })
    const got = await getRecord(f.ctx, 'customer', record.id as string, { related: true })
    expect(got.related?.contacts.hasMore).toBe(true)
    expect(got.related?.contacts.data).toHaveLength(2)
    expect(got.related?.contacts.data[0]).toMatchObject({ customer: record.id })
    const missingRef = await failure(() =>
      createRecord(f.ctx, 'contact', { name: 'x', customer: MISSING }),
    )
    expect(missingRef.details[0].path).toBe('customer')
  })
})
