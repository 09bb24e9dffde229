import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, type PointsFixture } from './approvals-points-fixture'

// approvals.md, Concurrency (flows-concurrency covers the or-sign race): a countersign step under
// simultaneous approvals through HTTP. The race is real on PostgreSQL (8 connections); PGlite
// runs one transaction at a time, where the same answers must come out of its queue.
describe.each(testTargets())('Approval points: concurrency on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  it('countersign: three signers approving at once all count, and the step completes once', async () => {
    const id = await f.submitted('counter')
    const signers = ['fin1', 'fin2', 'fin3'] as const
    const tasks = await Promise.all(signers.map((who) => f.taskOf(who, id)))
    const answers = await Promise.all(signers.map((who, i) => f.act(who, tasks[i], 'approve')))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    expect((await f.record(id)).status).toBe('approved')
    expect(await f.holders(id, 'approved')).toEqual(['fin1', 'fin2', 'fin3'])
    const moves = await f.db.query<{ payload: unknown }>(sql`select payload from outbox
        where record_id = ${id}::uuid and payload ? 'flow' order by id`)
    const pairs = moves.map((m) => {
      const p = (typeof m.payload === 'string' ? JSON.parse(m.payload) : m.payload) as {
        from: string
        to: string
      }
      return [p.from, p.to]
    })
    expect(pairs).toEqual([
      ['draft', 'pending'],
      ['pending', 'approved'],
    ])
    const v = await f.view(id)
    expect(v.timeline.filter((h: { action: string }) => h.action === 'approve')).toHaveLength(3)
  })

  it('the same signer approving twice at once counts once; the second is already decided', async () => {
    const id = await f.submitted('counter')
    const task = await f.taskOf('fin1', id)
    const answers = await Promise.all([
      f.act('fin1', task, 'approve'),
      f.act('fin1', task, 'approve'),
    ])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('ALREADY_DECIDED')
    expect([await f.holders(id), (await f.record(id)).status]).toEqual([
      ['fin2', 'fin3'],
      'pending',
    ])
  })
})
