import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError } from '../../runtime/errors'
import { createRecord, getRecord, getRecordHistory, updateRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { openRecordsFixture, type RecordsFixture } from './records-fixture'

describe.each(testTargets())('records under concurrency on $name', (target) => {
  let f: RecordsFixture
  beforeAll(async () => {
    f = await openRecordsFixture(target)
  })
  afterAll(() => f?.close())

  it('never repeats an auto-number across 50 simultaneous creates', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => createRecord(f.ctx, 'quote', {})),
    )
    const numbers = results.map((r) => r.record.number as string)
    expect(new Set(numbers).size).toBe(50)
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `Q-2026-${String(i + 1).padStart(4, '0')}`),
    )
  })

  it('accepts one of 32 simultaneous updates at the same version and loses none', async () => {
    const { record } = await createRecord(f.ctx, 'customer', { name: 'Contended', employees: 0 })
    const id = record.id as string
    const outcomes = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        updateRecord(f.ctx, 'customer', id, { employees: i + 1 }, 1),
      ),
    )
    const accepted = outcomes.filter((o) => o.status === 'fulfilled')
    const conflicts = outcomes.filter(
      (o) => o.status === 'rejected' && o.reason instanceof ConflictError,
    )
    expect(accepted.length + conflicts.length).toBe(32)
    expect(accepted).toHaveLength(1)
    const winner = (accepted[0] as PromiseFulfilledResult<{ record: Record<string, unknown> }>)
      .value.record
    const now = await getRecord(f.ctx, 'customer', id)
    expect(now).toMatchObject({ version: 2, employees: winner.employees })
    expect(
      (await getRecordHistory(f.ctx, 'customer', id)).filter((h) => h.action === 'updated'),
    ).toHaveLength(1)
  })

  it('accepts one of 32 simultaneous one-statement updates of a plain record', async () => {
    const { record } = await createRecord(f.ctx, 'task', { title: 'Contended' })
    const outcomes = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        updateRecord(f.ctx, 'task', record.id as string, { hours: i + 1 }, 1),
      ),
    )
    const accepted = outcomes.filter((o) => o.status === 'fulfilled')
    const conflicts = outcomes.filter(
      (o) => o.status === 'rejected' && o.reason instanceof ConflictError,
    )
    expect([accepted.length, conflicts.length]).toEqual([1, 31])
    expect(await getRecordHistory(f.ctx, 'task', record.id as string)).toHaveLength(2)
  })

  it('applies every one of 32 retried increments exactly once', async () => {
    const { record } = await createRecord(f.ctx, 'customer', { name: 'Counter', employees: 0 })
    const id = record.id as string
    const increment = async () => {
      for (;;) {
        const current = await getRecord(f.ctx, 'customer', id)
        try {
          return await updateRecord(
            f.ctx,
            'customer',
            id,
            { employees: (current.employees as number) + 1 },
            current.version as number,
          )
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err
        }
      }
    }
    await Promise.all(Array.from({ length: 32 }, increment))
    expect(await getRecord(f.ctx, 'customer', id)).toMatchObject({ employees: 32, version: 33 })
  })
})
