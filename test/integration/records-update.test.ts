import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError, TrellisError, ValidationError } from '../../runtime/errors'
import { createRecord, getRecord, getRecordHistory, updateRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { openRecordsFixture, type RecordsFixture } from './records-fixture'

async function failure(fn: () => Promise<unknown>): Promise<TrellisError> {
  try {
    await fn()
  } catch (err) {
    if (err instanceof TrellisError) return err
    throw err
  }
  throw new Error('expected a failure')
}

describe.each(testTargets())('plain-field updates on $name', (target) => {
  let f: RecordsFixture
  beforeAll(async () => {
    f = await openRecordsFixture(target)
  })
  afterAll(() => f?.close())

  it('updates in one statement and audits the changed fields in the API conventions', async () => {
    const { record } = await createRecord(f.ctx, 'task', {
      title: 'Write',
      due: '2026-04-01',
      at: '2026-04-01T09:00:00Z',
      budget: { amount: 10 },
      tags: ['a'],
      data: { x: 1 },
      hours: 1.5,
      share: 10,
    })
    const id = record.id as string
    const patch = {
      title: 'Write more',
      due: '2026-04-02',
      at: '2026-04-02T09:30:00+02:00',
      budget: { amount: 12.5, currency: 'USD' },
      tags: ['a', 'b'],
      done: true,
      data: { x: [2] },
      hours: 1.5,
      share: 12.25,
      assignee: f.user.id,
    }
    const { record: updated } = await updateRecord(
      f.ctx,
      'task',
      id,
      { ...patch, version: 1, id },
      undefined,
    )
    expect(updated).toMatchObject({
      ...patch,
      at: '2026-04-02T07:30:00.000Z',
      version: 2,
      updatedBy: f.user.id,
    })
    expect(await getRecord(f.ctx, 'task', id)).toEqual(updated)
    const [last] = await getRecordHistory(f.ctx, 'task', id)
    expect(last.changes).toEqual({
      title: { before: 'Write', after: 'Write more' },
      due: { before: '2026-04-01', after: '2026-04-02' },
      at: { before: '2026-04-01T09:00:00.000Z', after: '2026-04-02T07:30:00.000Z' },
      budget: { before: { amount: 10, currency: 'CNY' }, after: { amount: 12.5, currency: 'USD' } },
      tags: { before: ['a'], after: ['a', 'b'] },
      done: { before: null, after: true },
      data: { before: { x: 1 }, after: { x: [2] } },
      share: { before: 10, after: 12.25 },
      assignee: { before: null, after: f.user.id },
    })
  })

  it('refuses invalid values, stale versions and missing records', async () => {
    const { record } = await createRecord(f.ctx, 'task', { title: 'Check' })
    const id = record.id as string
    const invalid = await failure(() =>
      updateRecord(f.ctx, 'task', id, { title: null, due: 'soon', tags: ['z'] }, 1),
    )
    expect(invalid).toBeInstanceOf(ValidationError)
    expect(invalid.details.map((d) => d.path).sort()).toEqual(['due', 'tags[0]', 'title'])
    await updateRecord(f.ctx, 'task', id, { done: true }, 1)
    const stale = await failure(() => updateRecord(f.ctx, 'task', id, { done: false }, 1))
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.extra.currentVersion).toBe(2)
    const missing = await failure(() =>
      updateRecord(f.ctx, 'task', '00000000-0000-4000-8000-000000000009', { done: true }, 1),
    )
    expect(missing).toBeInstanceOf(NotFoundError)
    const ref = await failure(() =>
      updateRecord(f.ctx, 'task', id, { assignee: '00000000-0000-4000-8000-000000000009' }, 2),
    )
    expect(ref.details[0].path).toBe('assignee')
    expect(await getRecord(f.ctx, 'task', id)).toMatchObject({ version: 2, done: true })
  })
})
