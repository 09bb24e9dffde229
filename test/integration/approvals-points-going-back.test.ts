import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, pathsOf, type PointsFixture } from './approvals-points-fixture'

type Step = { id: string; status: string }

// approvals.md, Going back.
describe.each(testTargets())('Approval points: going back on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  /** A seq claim of 800 approved by lead and finance (fin1): cfo holds it. */
  async function atCfo() {
    const id = await f.submitted('seq', 'rep1', { amount: 800 })
    await f.decide('lead', id, 'approve')
    await f.decide('fin1', id, 'approve')
    return id
  }
  const recall = (who: 'rep1' | 'lead', id: string, body = {}) =>
    f.req(who, 'POST', `/api/data/claim/${id}/approval/recall`, body)
  const resubmit = (id: string) =>
    f.req('rep1', 'POST', `/api/data/claim/${id}/approval/resubmit`, {})

  it('reject ends the approval in the rejection state; a comment is required', async () => {
    const id = await atCfo()
    const task = await f.taskOf('cfo', id)
    const bare = await f.act('cfo', task, 'reject', { comment: '  ' })
    expect([bare.status, pathsOf(bare)]).toEqual([422, ['comment']])
    expect((await f.record(id)).status).toBe('pending')
    await f.decide('cfo', id, 'reject', { comment: 'over budget' })
    expect((await f.record(id, 'rep1')).status).toBe('rejected')
    const v = await f.view(id, 'rep1')
    expect(v.instance.status).toBe('rejected')
    expect(v.timeline.find((h: { action: string }) => h.action === 'reject')).toMatchObject({
      by: { name: 'cfo' },
      comment: 'over budget',
      stepLabel: 'Cfo',
    })
    expect(v.canResubmit).toBe(true)
  })

  it('return to the previous step runs it again; a comment is required', async () => {
    const id = await atCfo()
    const task = await f.taskOf('cfo', id)
    const bare = await f.act('cfo', task, 'return', {})
    expect([bare.status, pathsOf(bare)]).toEqual([422, ['comment']])
    await f.decide('cfo', id, 'return', { comment: 'finance, look again' })
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3'])
    expect((await f.record(id)).status).toBe('pending')
    const finance = (await f.view(id)).steps.find((s: Step) => s.id === 'finance')
    expect(finance.tasks.map((t: { round: number }) => t.round)).toContain(2)
  })

  it('return to a chosen earlier step, refusing a step that did not run before', async () => {
    const id = await atCfo()
    const task = await f.taskOf('cfo', id)
    const later = await f.act('cfo', task, 'return', { step: 'nowhere', comment: 'x' })
    expect([later.status, pathsOf(later)]).toEqual([422, ['step']])
    await f.decide('cfo', id, 'return', { step: 'lead', comment: 'lead, please recheck' })
    expect(await f.holders(id)).toEqual(['lead'])
    await f.decide('lead', id, 'approve')
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3'])
  })

  it('return to the submitter puts the record back before submission, resubmittable', async () => {
    const id = await atCfo()
    await f.decide('cfo', id, 'return', { to: 'submitter', comment: 'add the receipt' })
    const record = await f.record(id, 'rep1')
    expect(record.status).toBe('draft')
    expect(await f.holders(id)).toEqual([])
    const v = await f.view(id, 'rep1')
    expect(v.timeline.find((h: { action: string }) => h.action === 'return')).toMatchObject({
      by: { name: 'cfo' },
      comment: 'add the receipt',
    })
    // Unlocked: the submitter edits the title again and submits afresh.
    const patched = await f.req('rep1', 'PATCH', `/api/data/claim/${id}`, {
      title: 'With receipt',
      version: record.version,
    })
    expect(patched.status).toBe(200)
    expect((await f.fire('rep1', id, 'seq')).status).toBe(200)
    expect(await f.holders(id)).toEqual(['lead'])
  })

  it('recall: the submitter withdraws a pending request; the record is unlocked and back in draft', async () => {
    const id = await f.submitted('seq', 'rep1', { amount: 800 })
    await f.decide('lead', id, 'approve')
    expect((await recall('lead', id)).status).toBe(403)
    const ok = await recall('rep1', id, { comment: 'wrong amount' })
    expect([ok.status, ok.body.approval.status]).toEqual([200, 'recalled'])
    const record = await f.record(id, 'rep1')
    expect(record.status).toBe('draft')
    for (const who of ['fin1', 'fin2', 'fin3'] as const)
      expect((await f.inbox(who)).map((i) => i.recordId)).not.toContain(id)
    const patched = await f.req('rep1', 'PATCH', `/api/data/claim/${id}`, {
      amount: 700,
      version: record.version,
    })
    expect(patched.status).toBe(200)
    expect((await recall('rep1', id)).status).toBe(409)
  })

  it('withdraw: an approver takes back their decision while the next step has not acted', async () => {
    const id = await f.submitted('seq', 'rep1', { amount: 800 })
    const res = await f.decide('lead', id, 'approve')
    const task = res.body.taskId
    const panel = await f.view(id, 'lead')
    expect(panel.myTasks).toEqual([{ id: task, step: 'lead', actions: ['withdraw'] }])
    // Only the approver who decided.
    expect((await f.act('fin1', task, 'withdraw')).status).toBe(403)
    const back = await f.act('lead', task, 'withdraw', { comment: 'one more look' })
    expect([back.status, back.body.status]).toEqual([200, 'pending'])
    expect(await f.holders(id)).toEqual(['lead'])
    expect((await f.inbox('fin1')).map((i) => i.recordId)).not.toContain(id)
    // Once the next step acted, the decision stands.
    await f.decide('lead', id, 'approve')
    await f.decide('fin2', id, 'approve')
    const late = await f.act('lead', task, 'withdraw')
    expect(late.status).toBe(409)
    expect(await f.holders(id)).toEqual(['cfo'])
  })

  it('resubmit after rejection starts again at the first step (default)', async () => {
    const id = await atCfo()
    expect((await resubmit(id)).status).toBe(409)
    await f.decide('cfo', id, 'reject', { comment: 'no' })
    const again = await resubmit(id)
    expect([again.status, again.body.approval.status]).toEqual([200, 'running'])
    expect((await f.record(id)).status).toBe('pending')
    expect(await f.holders(id)).toEqual(['lead'])
  })

  it('resubmit after rejection starts at the rejecting step when the approval says so', async () => {
    const id = await f.submitted('rejectedStep')
    await f.decide('lead', id, 'approve')
    await f.decide('cfo', id, 'reject', { comment: 'no' })
    expect((await resubmit(id)).status).toBe(200)
    expect(await f.holders(id)).toEqual(['cfo'])
    await f.decide('cfo', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })
})
