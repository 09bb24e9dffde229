import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, pathsOf, type PointsFixture } from './approvals-points-fixture'

const HOUR = 3600 * 1000
type Entry = { action: string; by: { name: string } | null; onBehalfOf: { name: string } | null }

// approvals.md, Changing hands.
describe.each(testTargets())('Approval points: changing hands on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  const pendingIds = async (who: Parameters<PointsFixture['inbox']>[0]) =>
    (await f.inbox(who)).map((i) => i.recordId)

  it('delegate: the delegate acts on the owner’s behalf, or hands the task back to its owner', async () => {
    const id = await f.submitted('byUser')
    const task = await f.taskOf('cfo', id)
    const res = await f.act('cfo', task, 'delegate', { to: f.ids.fin1, comment: 'check it' })
    expect(res.status).toBe(200)
    expect(await pendingIds('fin1')).toContain(id)
    expect(await pendingIds('cfo')).not.toContain(id)
    // fin1 hands it back: cfo holds it again, in their own name.
    expect((await f.act('fin1', task, 'delegate', { to: f.ids.cfo })).status).toBe(200)
    expect(await pendingIds('cfo')).toContain(id)
    expect((await f.act('cfo', task, 'delegate', { to: f.ids.fin2 })).status).toBe(200)
    await f.decide('fin2', id, 'approve', { comment: 'ok for cfo' })
    expect((await f.record(id)).status).toBe('approved')
    const v = await f.view(id)
    const approve = v.timeline.find((h: Entry) => h.action === 'approve')
    expect(approve).toMatchObject({
      by: { name: 'fin2' },
      onBehalfOf: { name: 'cfo' },
      comment: 'ok for cfo',
    })
    expect(v.steps[0].tasks[0]).toMatchObject({
      owner: { name: 'cfo' },
      decidedBy: { name: 'fin2' },
    })
  })

  it('delegate: the owner may still act on the task they delegated', async () => {
    const id = await f.submitted('byUser')
    const task = await f.taskOf('cfo', id)
    expect((await f.act('cfo', task, 'delegate', { to: f.ids.fin1 })).status).toBe(200)
    const own = await f.act('cfo', task, 'approve')
    expect([own.status, own.body.approval?.status]).toEqual([200, 'approved'])
  })

  it('transfer: the task moves for good; history keeps the original and the actual approver', async () => {
    const id = await f.submitted('byUser')
    const task = await f.taskOf('cfo', id)
    expect((await f.act('cfo', task, 'transfer', { to: f.ids.ceo })).status).toBe(200)
    expect(await pendingIds('cfo')).not.toContain(id)
    expect((await f.act('cfo', task, 'approve')).status).toBe(403)
    await f.decide('ceo', id, 'approve')
    const v = await f.view(id)
    expect(v.steps[0].tasks[0]).toMatchObject({
      owner: { name: 'ceo' },
      originalOwner: { name: 'cfo' },
      decidedBy: { name: 'ceo' },
    })
    expect(v.timeline.map((h: Entry) => [h.action, h.by?.name])).toEqual([
      ['submit', 'rep1'],
      ['transfer', 'cfo'],
      ['approve', 'ceo'],
      ['complete', undefined],
      ['complete', undefined],
    ])
    expect(v.timeline[1].to.map((u: { name: string }) => u.name)).toEqual(['ceo'])
  })

  it('add signer: a countersign step waits for the added approver too', async () => {
    const id = await f.submitted('counter')
    const task = await f.taskOf('fin1', id)
    const bad = await f.act('fin1', task, 'addSigner', { users: ['nobody'] })
    expect([bad.status, pathsOf(bad)]).toEqual([422, ['users[0]']])
    expect((await f.act('fin1', task, 'addSigner', { users: [f.ids.cfo] })).status).toBe(200)
    expect(await f.holders(id)).toEqual(['cfo', 'fin1', 'fin2', 'fin3'])
    for (const who of ['fin1', 'fin2', 'fin3'] as const) await f.decide(who, id, 'approve')
    expect((await f.record(id)).status).toBe('pending')
    await f.decide('cfo', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('remove signer: a countersign step no longer waits for the removed approver', async () => {
    const id = await f.submitted('counter')
    const fin3Task = await f.taskOf('fin3', id)
    // Someone who is no signer of the step may not remove one.
    expect((await f.act('cfo', fin3Task, 'removeSigner')).status).toBe(403)
    expect((await f.act('fin1', fin3Task, 'removeSigner')).status).toBe(200)
    expect(await pendingIds('fin3')).not.toContain(id)
    await f.decide('fin1', id, 'approve')
    await f.decide('fin2', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
    const removed = (await f.view(id)).timeline.find((h: Entry) => h.action === 'removeSigner')
    expect(removed).toMatchObject({ by: { name: 'fin1' }, to: [{ name: 'fin3' }] })
  })

  it('out of office: tasks created in the substitute’s range go to them, on the owner’s behalf', async () => {
    const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString()
    const set = await f.req('lead', 'PUT', '/api/me/out-of-office', {
      substitute: f.ids.sub,
      from: at(1),
      to: at(3),
    })
    expect(set.status).toBe(200)
    const before = await f.submitted('entry', 'rep1', { amount: 2000 })
    expect(await f.holders(before)).toEqual(['lead'])
    clock.advance(2 * HOUR)
    const during = await f.submitted('entry', 'rep2', { amount: 2000 })
    expect(await f.holders(during)).toEqual(['sub'])
    expect(await pendingIds('lead')).not.toContain(during)
    // sub may read the claim of another rep only through the approval.
    expect((await f.req('sub', 'GET', `/api/data/claim/${during}`)).status).toBe(200)
    await f.decide('sub', during, 'approve')
    const v = await f.view(during)
    expect(v.timeline.find((h: Entry) => h.action === 'approve')).toMatchObject({
      by: { name: 'sub' },
      onBehalfOf: { name: 'lead' },
    })
    clock.advance(2 * HOUR)
    expect(await f.holders(await f.submitted('entry', 'rep1', { amount: 2000 }))).toEqual(['lead'])
  })
})
