import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, type PointsFixture } from './approvals-points-fixture'

type Entry = { action: string; by: { name: string } | null; to: { name: string }[] }

// approvals.md, Time: timeouts (driven by the approval-timeout timer at a fixed clock) and CC.
describe.each(testTargets())('Approval points: time and CC on $name', (target) => {
  let f: PointsFixture
  // Friday 16:00 UTC: one office hour left this week.
  const clock = movableClock('2026-03-06T16:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  const actions = async (id: string) =>
    ((await f.view(id)).timeline as Entry[]).map((h) => h.action)

  it('remind: the approver is reminded up to N times, then the task just waits', async () => {
    const id = await f.submitted('remind')
    await f.runTimersAt('2026-03-06T16:59:00Z')
    expect(await actions(id)).not.toContain('remind')
    await f.runTimersAt('2026-03-06T17:00:00Z')
    await f.runTimersAt('2026-03-06T17:00:00Z')
    expect((await actions(id)).filter((a) => a === 'remind')).toHaveLength(1)
    await f.runTimersAt('2026-03-06T18:00:00Z')
    await f.runTimersAt('2026-03-06T19:00:00Z')
    await f.runTimersAt('2026-03-06T20:00:00Z')
    expect((await actions(id)).filter((a) => a === 'remind')).toHaveLength(2)
    expect([await f.holders(id), (await f.record(id)).status]).toEqual([['lead'], 'pending'])
  })

  it('escalate: the task goes to the approver’s manager, who acts in their own name', async () => {
    const id = await f.submitted('escalate')
    await f.runTimersAt('2026-03-06T17:00:00Z')
    expect(await f.holders(id)).toEqual(['boss'])
    expect((await f.inbox('boss')).map((i) => i.recordId)).toContain(id)
    expect((await f.inbox('lead')).map((i) => i.recordId)).not.toContain(id)
    const escalated = ((await f.view(id)).timeline as Entry[]).find((h) => h.action === 'escalate')
    expect(escalated).toMatchObject({ by: null, to: [{ name: 'boss' }] })
    await f.decide('boss', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('auto-approve: the engine approves once the time is up, once', async () => {
    const id = await f.submitted('autoApprove')
    const task = await f.taskOf('lead', id)
    await f.runTimersAt('2026-03-06T17:00:00Z')
    await f.runTimersAt('2026-03-06T18:00:00Z')
    expect((await f.record(id)).status).toBe('approved')
    const v = await f.view(id)
    expect(v.steps[0].tasks[0]).toMatchObject({ status: 'approved', auto: 'timeout' })
    expect((v.timeline as Entry[]).filter((h) => h.action === 'approve')).toHaveLength(1)
    expect((await f.act('lead', task, 'approve')).status).toBe(409)
  })

  it('auto-reject: the engine rejects the approval once the time is up', async () => {
    const id = await f.submitted('autoReject')
    await f.runTimersAt('2026-03-06T17:00:00Z')
    expect((await f.record(id)).status).toBe('rejected')
    expect((await f.view(id)).instance.status).toBe('rejected')
    expect((await f.inbox('lead')).map((i) => i.recordId)).not.toContain(id)
  })

  it('in business hours: two office hours from Friday 16:00 fall due Monday 10:00', async () => {
    const id = await f.submitted('office')
    await f.runTimersAt('2026-03-07T12:00:00Z')
    await f.runTimersAt('2026-03-09T09:59:00Z')
    expect(await f.holders(id)).toEqual(['lead'])
    await f.runTimersAt('2026-03-09T10:00:00Z')
    expect(await f.holders(id)).toEqual(['boss'])
  })

  it('a timer whose task was decided first does nothing', async () => {
    const id = await f.submitted('autoReject')
    await f.decide('lead', id, 'approve')
    await f.runTimersAt('2026-03-06T17:00:00Z')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('a timed step whose id other transitions’ steps share still times out', async () => {
    const id = await f.submitted('sharedTimeout')
    await f.runTimersAt('2026-03-06T17:00:00Z')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('CC: the step’s copied users see the claim in their CC box when it starts, the approval’s when it ends', async () => {
    const id = await f.submitted('cc')
    const ccOf = async (who: 'auditor' | 'cfo') => (await f.inbox(who, 'cc')).map((i) => i.recordId)
    expect(await ccOf('auditor')).toContain(id)
    expect(await ccOf('cfo')).not.toContain(id)
    // Copied, not asked: nothing pending for them.
    expect((await f.inbox('auditor')).map((i) => i.recordId)).not.toContain(id)
    const counts = await f.req('auditor', 'GET', '/api/inbox/counts')
    expect(counts.body.cc).toBeGreaterThanOrEqual(1)
    await f.decide('lead', id, 'approve')
    expect(await ccOf('cfo')).toContain(id)
    expect((await f.req('cfo', 'GET', `/api/data/claim/${id}`)).status).toBe(200)
  })
})
