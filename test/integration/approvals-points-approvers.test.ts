import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, pathsOf, SHAPES, type PointsFixture } from './approvals-points-fixture'

// approvals.md, Who approves.
describe.each(testTargets())('Approval points: who approves on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  it('a named user', async () => {
    const id = await f.submitted('byUser')
    expect(await f.holders(id)).toEqual(['cfo'])
    expect((await f.inbox('cfo')).find((i) => i.recordId === id)).toMatchObject({
      entity: 'claim',
      title: 'Claim of rep1',
      step: 's',
      submitter: { id: f.ids.rep1, name: 'rep1' },
    })
  })

  it('every holder of a role', async () => {
    const id = await f.submitted('orsign')
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3'])
  })

  it('the user held in a field of the record', async () => {
    const id = await f.submitted('byField', 'rep1', { checker: f.ids.auditor })
    expect(await f.holders(id)).toEqual(['auditor'])
    expect((await f.inbox('auditor')).map((i) => i.recordId)).toContain(id)
  })

  it('the submitter’s manager N levels up (2: the manager’s manager)', async () => {
    expect(await f.holders(await f.submitted('byManager2', 'rep1'))).toEqual(['boss'])
    expect(await f.holders(await f.submitted('byManager2', 'fin1'))).toEqual(['ceo'])
  })

  it('the chain of managers up to a role, in turn from the direct manager', async () => {
    const id = await f.submitted('chainRole', 'rep1')
    expect([await f.holders(id), await f.holders(id, 'waiting')]).toEqual([
      ['lead'],
      ['boss', 'ceo'],
    ])
    await f.decide('lead', id, 'approve')
    await f.decide('boss', id, 'approve')
    expect([await f.holders(id), (await f.record(id)).status]).toEqual([['ceo'], 'pending'])
    await f.decide('ceo', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
    // A number of levels stops there.
    const two = await f.submitted('chainLevels', 'rep1')
    expect([await f.holders(two), await f.holders(two, 'waiting')]).toEqual([['lead'], ['boss']])
  })

  it('the head of the submitter’s department, or of the department in a field', async () => {
    expect(await f.holders(await f.submitted('head', 'rep1'))).toEqual(['boss'])
    expect(await f.holders(await f.submitted('head', 'fin2'))).toEqual(['cfo'])
    const id = await f.submitted('headField', 'rep1', { dept: f.departments.finance })
    expect(await f.holders(id)).toEqual(['cfo'])
  })

  it('a set chosen by the submitter from the allowed range, refused outside it', async () => {
    const { id } = await f.claim('rep1')
    const outside = await f.fire('rep1', id, 'pick', { picks: { s: [f.ids.auditor] } })
    expect([outside.status, pathsOf(outside)]).toEqual([422, ['picks.s[0]']])
    const tooMany = await f.fire('rep1', id, 'pick', {
      picks: { s: [f.ids.fin1, f.ids.fin2, f.ids.fin3] },
    })
    expect([tooMany.status, pathsOf(tooMany)]).toEqual([422, ['picks.s']])
    const none = await f.fire('rep1', id, 'pick')
    expect([none.status, pathsOf(none)]).toEqual([422, ['picks.s']])
    expect((await f.record(id)).status).toBe('draft')
    const ok = await f.fire('rep1', id, 'pick', { picks: { s: [f.ids.fin3, f.ids.fin1] } })
    expect(ok.status).toBe(200)
    expect(await f.holders(id)).toEqual(['fin1', 'fin3'])
    expect((await f.inbox('fin2')).map((i) => i.recordId)).not.toContain(id)
  })

  it('no approver found: auto-approve, auto-reject, or send to an administrator', async () => {
    const ok = await f.submitted('nobodyOk')
    expect((await f.record(ok)).status).toBe('approved')
    const no = await f.submitted('nobodyNo')
    expect((await f.record(no)).status).toBe('rejected')
    const admin = await f.submitted('nobodyAdmin')
    expect(await f.holders(admin)).toEqual(['admin'])
    expect((await f.inbox('admin')).map((i) => i.recordId)).toContain(admin)
    await f.decide('admin', admin, 'approve')
    expect((await f.record(admin)).status).toBe('approved')
  })

  it('no approver found and no rule given: the administrators (the documented default)', async () => {
    const id = await f.submitted('nobodyDefault')
    expect([(await f.record(id)).status, await f.holders(id)]).toEqual(['pending', ['admin']])
  })

  it('the submitter as approver: skipped by default, or passed to their manager', async () => {
    const skipped = await f.submitted('selfSkip', 'lead')
    expect(await f.holders(skipped)).toEqual(['cfo'])
    expect((await f.inbox('lead')).map((i) => i.recordId)).not.toContain(skipped)
    const passed = await f.submitted('selfManager', 'lead')
    expect(await f.holders(passed)).toEqual(['boss'])
  })

  it('the same person approving twice in a row approves once', async () => {
    const id = await f.submitted('twice', 'rep1')
    expect(await f.holders(id)).toEqual(['lead'])
    const res = await f.decide('lead', id, 'approve')
    expect(res.body.approval.status).toBe('approved')
    expect((await f.record(id)).status).toBe('approved')
    const b = (await f.view(id)).steps.find((s: { id: string }) => s.id === 'b')
    expect(b.tasks).toEqual([
      expect.objectContaining({
        status: 'approved',
        auto: 'repeated',
        assignee: expect.objectContaining({ name: 'lead' }),
      }),
    ])
  })

  // Last: it publishes a flow in which no transition names noApprover 'admin'.
  it('no approver found, no rule given, in a flow that names no rule anywhere: the administrators', async () => {
    const { nobodyAdmin: _named, ...unnamed } = SHAPES
    await f.republish(unnamed)
    const id = await f.submitted('nobodyDefault')
    expect([(await f.record(id)).status, await f.holders(id)]).toEqual(['pending', ['admin']])
  })
})
