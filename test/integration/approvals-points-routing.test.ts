import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, type PointsFixture } from './approvals-points-fixture'

// approvals.md, Routing and How a step decides.
describe.each(testTargets())('Approval points: routing and deciding on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  it('entry criteria: a small claim goes straight through, a large one starts an approval', async () => {
    const small = await f.claim('rep1', { amount: 900 })
    const through = await f.fire('rep1', small.id, 'entry')
    expect([through.status, through.body.approval, through.body.record.status]).toEqual([
      200,
      null,
      'approved',
    ])
    expect((await f.view(small.id)).instance).toBeNull()
    const large = await f.claim('rep1', { amount: 1500 })
    const started = await f.fire('rep1', large.id, 'entry')
    expect([started.status, started.body.approval.status, started.body.record.status]).toEqual([
      200,
      'running',
      'pending',
    ])
    expect(await f.holders(large.id)).toEqual(['lead'])
    expect((await f.inbox('lead')).map((i) => i.recordId)).toContain(large.id)
    expect((await f.inbox('lead')).map((i) => i.recordId)).not.toContain(small.id)
  })

  it('sequential steps: lead, then finance, then cfo; finance is skipped under 500', async () => {
    const id = await f.submitted('seq', 'rep1', { amount: 800 })
    expect(await f.holders(id)).toEqual(['lead'])
    await f.decide('lead', id, 'approve')
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3'])
    expect((await f.record(id)).status).toBe('pending')
    await f.decide('fin2', id, 'approve')
    expect(await f.holders(id)).toEqual(['cfo'])
    await f.decide('cfo', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
    const v = await f.view(id)
    expect(v.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['lead', 'approved'],
      ['finance', 'approved'],
      ['cfo', 'approved'],
    ])

    const small = await f.submitted('seq', 'rep1', { amount: 300 })
    await f.decide('lead', small, 'approve')
    expect(await f.holders(small)).toEqual(['cfo'])
    expect((await f.view(small)).steps.map((s: { id: string }) => s.id)).toEqual(['lead', 'cfo'])
    for (const who of ['fin1', 'fin2', 'fin3'] as const)
      expect((await f.inbox(who)).map((i) => i.recordId)).not.toContain(small)
  })

  it('conditional branches: the first condition that holds chooses the path', async () => {
    const big = await f.submitted('branch', 'rep1', { amount: 9000 })
    const mid = await f.submitted('branch', 'rep1', { amount: 900 })
    const small = await f.submitted('branch', 'rep1', { amount: 90 })
    // 9000 also passes the middle condition: only the first match runs.
    expect(await f.holders(big)).toEqual(['ceo'])
    expect(await f.holders(mid)).toEqual(['cfo'])
    expect(await f.holders(small)).toEqual(['lead'])
    expect((await f.inbox('cfo')).map((i) => i.recordId)).not.toContain(big)
    await f.decide('ceo', big, 'approve')
    expect((await f.record(big)).status).toBe('approved')
  })

  it('parallel branches run at once and join before the next step', async () => {
    const id = await f.submitted('para', 'rep1')
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3', 'lead'])
    await f.decide('lead', id, 'approve')
    // One lane done: the join still waits for the other, cfo has nothing yet.
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3'])
    expect((await f.inbox('cfo')).map((i) => i.recordId)).not.toContain(id)
    await f.decide('fin3', id, 'approve')
    expect(await f.holders(id)).toEqual(['cfo'])
    await f.decide('cfo', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('or-sign: the first approval completes the step and closes the others’ tasks', async () => {
    const id = await f.submitted('orsign')
    const fin2Task = await f.taskOf('fin2', id)
    const res = await f.decide('fin1', id, 'approve', { comment: 'fine' })
    expect(res.body.approval.status).toBe('approved')
    expect((await f.record(id)).status).toBe('approved')
    expect((await f.inbox('fin2')).map((i) => i.recordId)).not.toContain(id)
    const late = await f.act('fin2', fin2Task, 'approve')
    expect([late.status, late.body.error.code]).toEqual([409, 'ALREADY_DECIDED'])
  })

  it('countersign: every approver must approve', async () => {
    const id = await f.submitted('counter')
    await f.decide('fin1', id, 'approve')
    await f.decide('fin2', id, 'approve')
    expect([(await f.record(id)).status, await f.holders(id)]).toEqual(['pending', ['fin3']])
    await f.decide('fin3', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('countersign: one rejection rejects the step and the approval', async () => {
    const id = await f.submitted('counter')
    await f.decide('fin1', id, 'approve')
    const res = await f.decide('fin2', id, 'reject', { comment: 'receipt missing' })
    expect(res.body.approval.status).toBe('rejected')
    expect((await f.record(id)).status).toBe('rejected')
    expect(await f.holders(id)).toEqual([])
  })

  it('vote: approved once approvals reach the threshold share (2 of 3 ≥ 0.6)', async () => {
    const id = await f.submitted('vote')
    await f.decide('fin1', id, 'approve')
    expect((await f.record(id)).status).toBe('pending')
    await f.decide('fin3', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
    // And rejected once the threshold can no longer be reached.
    const lost = await f.submitted('vote')
    await f.decide('fin1', lost, 'reject', { comment: 'no' })
    expect((await f.record(lost)).status).toBe('pending')
    await f.decide('fin2', lost, 'reject', { comment: 'no' })
    expect((await f.record(lost)).status).toBe('rejected')
  })

  it('in turn: fin2 then fin1, the second task waiting until the first acts', async () => {
    const id = await f.submitted('turn')
    expect([await f.holders(id), await f.holders(id, 'waiting')]).toEqual([['fin2'], ['fin1']])
    expect((await f.inbox('fin1')).map((i) => i.recordId)).not.toContain(id)
    await f.decide('fin2', id, 'approve')
    expect([await f.holders(id), (await f.record(id)).status]).toEqual([['fin1'], 'pending'])
    await f.decide('fin1', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })
})
