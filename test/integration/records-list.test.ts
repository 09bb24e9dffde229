import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rule } from '../../metadata/rule'
import { fixedClock } from '../../runtime/clock'
import { BadRequestError, TrellisError } from '../../runtime/errors'
import { createRecord, listRecords, type RecordData } from '../../runtime/records'
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

const REGIONS = [
  'North',
  null,
  'East',
  'East',
  null,
  'West',
  'North',
  null,
  'South',
  'East',
  null,
  'West',
  'East',
]

describe.each(testTargets())('record lists on $name', (target) => {
  let f: RecordsFixture
  const created: RecordData[] = []
  beforeAll(async () => {
    f = await openRecordsFixture(target)
    // Pairs of records share a creation instant, so the id tiebreaker matters too.
    for (const [i, region] of REGIONS.entries()) {
      const at = new Date(Date.UTC(2026, 2, 1, 0, Math.floor(i / 2), 0, 123))
      const { record } = await createRecord(f.at(fixedClock(at)), 'customer', {
        name: `Customer ${i}`,
        region,
        employees: i,
      })
      created.push(record)
    }
  })
  afterAll(() => f?.close())

  /** Follows nextCursor to the end; returns the ids in page order. */
  async function pageThrough(
    sort: string | undefined,
    limit: number,
    filter?: Rule,
  ): Promise<string[]> {
    const ids: string[] = []
    let cursor: string | undefined
    for (let pages = 0; pages < 100; pages++) {
      const page = await listRecords(f.ctx, 'customer', { sort, limit, cursor, filter })
      ids.push(...page.data.map((r) => r.id as string))
      if (!page.nextCursor) return ids
      cursor = page.nextCursor
    }
    throw new Error('paging did not end')
  }

  it('lists newest first by default, with the id as tiebreaker', async () => {
    const page = await listRecords(f.ctx, 'customer', {})
    const expected = [...created].sort((a, b) =>
      a.createdAt === b.createdAt
        ? (a.id as string) < (b.id as string)
          ? 1
          : -1
        : a.createdAt! < b.createdAt!
          ? 1
          : -1,
    )
    expect(page.data.map((r) => r.id)).toEqual(expected.map((r) => r.id))
    expect(page.nextCursor).toBeNull()
  })

  it.each([undefined, 'region', '-region', 'region,-createdAt', '-region,name', 'createdAt', 'id'])(
    'pages through every row exactly once sorted by %s, nulls included',
    async (sort) => {
      const all = (await listRecords(f.ctx, 'customer', { sort, limit: 500 })).data.map((r) => r.id)
      expect(new Set(all).size).toBe(REGIONS.length)
      for (const limit of [1, 2, 5]) expect(await pageThrough(sort, limit)).toEqual(all)
    },
  )

  it('pages through a filtered list', async () => {
    const filter: Rule = { '>=': [{ var: 'employees' }, 4] }
    const ids = await pageThrough('-region', 3, filter)
    expect(ids).toHaveLength(REGIONS.length - 4)
  })

  it('counts matching rows', async () => {
    const page = await listRecords(f.ctx, 'customer', {
      filter: { '==': [{ var: 'region' }, 'East'] },
      count: true,
      limit: 1,
    })
    expect(page).toMatchObject({ total: 4, totalCapped: false })
    expect(page.data).toHaveLength(1)
  })

  it('refuses a bad limit, a tampered cursor and a cursor of another sort with 400', async () => {
    for (const limit of [0, 501, 1.5]) {
      const err = await failure(() => listRecords(f.ctx, 'customer', { limit }))
      expect(err).toBeInstanceOf(BadRequestError)
      expect(err.details[0].path).toBe('limit')
    }
    const { nextCursor } = await listRecords(f.ctx, 'customer', { sort: 'region', limit: 2 })
    const other = await failure(() =>
      listRecords(f.ctx, 'customer', { sort: '-region', cursor: nextCursor! }),
    )
    expect(other.details[0].path).toBe('cursor')
    const forged = Buffer.from(JSON.stringify(['-createdAt', ['not a time'], 'x'])).toString(
      'base64url',
    )
    const bad = await failure(() => listRecords(f.ctx, 'customer', { cursor: forged }))
    expect(bad.details[0].path).toBe('cursor')
    expect(
      (await failure(() => listRecords(f.ctx, 'customer', { cursor: 'garbage' }))).details[0].path,
    ).toBe('cursor')
  })

  it('refuses sorting on an unindexed field', async () => {
    const err = await failure(() => listRecords(f.ctx, 'customer', { sort: 'notes' }))
    expect(err.details[0].path).toBe('sort')
  })
})
