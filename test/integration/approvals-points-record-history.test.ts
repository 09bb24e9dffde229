import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApprovalLink } from '../../runtime/approvals'
import { silentLogger } from '../../runtime/context'
import { createMetadataCache } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, pathsOf, SHAPES, type PointsFixture } from './approvals-points-fixture'

type Opt = { id: string; available: boolean; reason?: string }

// approvals.md, Record and history (lock, history, versioning, inbox, links) and the permission
// matrix of the issue (inboxes, task actions and transitions only for who may read / fire).
describe.each(testTargets())('Approval points: record and history on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  const patch = async (who: Parameters<PointsFixture['req']>[0], id: string, values: object) =>
    f.req(who, 'PATCH', `/api/data/claim/${id}`, {
      ...values,
      version: (await f.record(id)).version,
    })

  it('locks the record while pending: only note stays editable, and only by the current approver', async () => {
    const id = await f.submitted('byUser', 'rep1', { note: 'first' })
    const title = await patch('rep1', id, { title: 'Changed' })
    expect([title.status, pathsOf(title)]).toEqual([403, ['title']])
    const byOwner = await patch('rep1', id, { note: 'by owner' })
    expect(byOwner.status).toBe(403)
    // lead may update every claim by role, but holds no task of this one.
    expect((await patch('lead', id, { note: 'by lead' })).status).toBe(403)
    const amount = await patch('cfo', id, { amount: 5 })
    expect([amount.status, pathsOf(amount)]).toEqual([403, ['amount']])
    const state = await patch('cfo', id, { status: 'approved' })
    expect(state.status).toBeGreaterThanOrEqual(400)
    expect(state.status).toBeLessThan(500)
    expect((await patch('cfo', id, { note: 'by cfo' })).status).toBe(200)
    expect((await f.record(id)).status).toBe('pending')
  })

  it('keeps every action with who, on behalf of whom, when, the comment, and the snapshot', async () => {
    const id = await f.submitted('byUser', 'rep1', { note: 'as sent', amount: 120 })
    clock.advance(60_000)
    await f.decide('cfo', id, 'delegate', { to: f.ids.fin3, comment: 'please check' })
    await patch('fin3', id, { note: 'checked' })
    clock.advance(60_000)
    await f.decide('fin3', id, 'approve', { comment: 'fine' })
    const v = await f.view(id, 'rep1')
    expect(
      v.timeline.map((h: Record<string, { name: string } | string | null>) => [
        h.action,
        (h.by as { name: string } | null)?.name ?? null,
        (h.onBehalfOf as { name: string } | null)?.name ?? null,
        h.comment,
        h.at,
      ]),
    ).toEqual([
      ['submit', 'rep1', null, null, '2026-03-02T09:00:00.000Z'],
      ['delegate', 'cfo', null, 'please check', '2026-03-02T09:01:00.000Z'],
      ['approve', 'fin3', 'cfo', 'fine', '2026-03-02T09:02:00.000Z'],
      ['complete', null, null, null, '2026-03-02T09:02:00.000Z'],
      ['complete', null, null, 'approved', '2026-03-02T09:02:00.000Z'],
    ])
    expect(v.changes).toEqual([
      { field: 'note', label: 'Note', before: 'as sent', after: 'checked' },
    ])
  })

  it('versioning: a running approval finishes on its version; new ones start on the new', async () => {
    const old = await f.submitted('orsign')
    // The new version sends or-sign claims to the cfo instead of finance.
    await f.republish({
      ...SHAPES,
      orsign: {
        ...SHAPES.orsign,
        steps: [{ id: 'fin', label: { en: 'Fin' }, approvers: [{ user: 'cfo' }] }],
      },
    })
    const meta = await createMetadataCache(f.db).current()
    expect(meta.flows.get('claimFlow')?.version).toBe(2)
    const fresh = await f.submitted('orsign')
    expect(await f.holders(fresh)).toEqual(['cfo'])
    expect(await f.holders(old)).toEqual(['fin1', 'fin2', 'fin3'])
    await f.decide('fin2', old, 'approve')
    expect((await f.record(old)).status).toBe('approved')
    await f.decide('cfo', fresh, 'approve')
    expect((await f.record(fresh)).status).toBe('approved')
    await f.republish(SHAPES)
  })

  it('inbox: pending, submitted by me, CC to me; bulk approve and bulk reject with a comment', async () => {
    const a = await f.submitted('byUser', 'rep1')
    const b = await f.submitted('byUser', 'rep2')
    const c = await f.submitted('byUser', 'rep1')
    expect((await f.inbox('rep1', 'submitted')).map((i) => i.recordId)).toEqual(
      expect.arrayContaining([a, c]),
    )
    expect((await f.inbox('rep1', 'submitted')).map((i) => i.recordId)).not.toContain(b)
    const [ta, tb, tc] = [
      await f.taskOf('cfo', a),
      await f.taskOf('cfo', b),
      await f.taskOf('cfo', c),
    ]
    const ok = await f.req('cfo', 'POST', '/api/tasks/bulk', { action: 'approve', tasks: [ta, tb] })
    expect(ok.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true])
    expect([(await f.record(a)).status, (await f.record(b)).status]).toEqual([
      'approved',
      'approved',
    ])
    const bare = await f.req('cfo', 'POST', '/api/tasks/bulk', { action: 'reject', tasks: [tc] })
    expect([bare.status, pathsOf(bare)]).toEqual([422, ['comment']])
    const no = await f.req('cfo', 'POST', '/api/tasks/bulk', {
      action: 'reject',
      tasks: [tc],
      comment: 'duplicate',
    })
    expect(no.body.results).toEqual([{ id: tc, ok: true, status: 'rejected' }])
    expect((await f.record(c)).status).toBe('rejected')
    expect((await f.inbox('cfo', 'done')).map((i) => i.recordId)).toEqual(
      expect.arrayContaining([a, b, c]),
    )
  })

  it('signed link: acts once, and refuses a record changed since it was sent', async () => {
    const ctx = {
      db: f.db,
      user: null,
      clock,
      log: silentLogger,
      meta: await createMetadataCache(f.db).current(),
    }
    const id = await f.submitted('byUser')
    const { token } = await createApprovalLink(ctx, await f.taskOf('cfo', id), 'approve')
    const acted = await f.req('outsider', 'POST', `/api/approval-links/${token}`)
    expect([acted.status, acted.body.status]).toEqual([200, 'approved'])
    expect((await f.record(id)).status).toBe('approved')
    const again = await f.req('outsider', 'POST', `/api/approval-links/${token}`)
    expect([again.status, again.body.error.code]).toEqual([409, 'LINK_USED'])

    const stale = await f.submitted('byUser')
    const link = await createApprovalLink(ctx, await f.taskOf('cfo', stale), 'approve')
    expect((await patch('cfo', stale, { note: 'edited' })).status).toBe(200)
    const refused = await f.req('outsider', 'POST', `/api/approval-links/${link.token}`)
    expect([refused.status, refused.body.error.code]).toEqual([409, 'RECORD_CHANGED'])
    expect((await f.record(stale)).status).toBe('pending')
  })

  it('permissions: who may not read the record sees no task and no approval, and may not act', async () => {
    const id = await f.submitted('byUser', 'rep1')
    const task = await f.taskOf('cfo', id)
    for (const who of ['outsider', 'rep2'] as const) {
      expect((await f.inbox(who)).map((i) => i.recordId)).not.toContain(id)
      expect((await f.inbox(who, 'submitted')).map((i) => i.recordId)).not.toContain(id)
      expect((await f.req(who, 'GET', `/api/data/claim/${id}/approval`)).status).toBe(404)
      expect((await f.req(who, 'GET', `/api/data/claim/${id}/transitions`)).status).toBe(404)
      for (const action of ['approve', 'delegate', 'withdraw'])
        expect([403, 404]).toContain(
          (await f.act(who, task, action, action === 'delegate' ? { to: f.ids.fin1 } : {})).status,
        )
      const bulk = await f.req(who, 'POST', '/api/tasks/bulk', { action: 'approve', tasks: [task] })
      expect(bulk.body.results[0]).toMatchObject({ ok: false, status: 403 })
      expect((await f.req(who, 'POST', `/api/data/claim/${id}/approval/recall`, {})).status).toBe(
        404,
      )
    }
    expect((await f.record(id)).status).toBe('pending')
  })

  it('permissions: the transitions endpoint offers only what the caller may fire', async () => {
    const { id } = await f.claim('rep1')
    const offered = async (who: Parameters<PointsFixture['req']>[0]) => {
      const res = await f.req(who, 'GET', `/api/data/claim/${id}/transitions`)
      expect(res.status).toBe(200)
      return res.body.transitions as Opt[]
    }
    const mine = await offered('rep1')
    expect(mine.find((t) => t.id === 'byUser')).toMatchObject({ available: true })
    expect(mine.find((t) => t.id === 'fast')).toMatchObject({ available: false, reason: 'guard' })
    expect(mine.find((t) => t.id === 'reopen')).toMatchObject({ available: false, reason: 'state' })
    // The viewer reads every claim but fires none.
    expect((await offered('viewer')).filter((t) => t.available)).toEqual([])
    const fired = await f.fire('viewer', id, 'byUser')
    expect(fired.status).toBe(403)
    expect((await f.fire('rep1', id, 'fast')).status).toBe(403)
    // The executive may take it straight through.
    expect((await offered('ceo')).find((t) => t.id === 'fast')).toMatchObject({ available: true })
    expect((await f.fire('ceo', id, 'fast')).status).toBe(200)
    expect((await f.record(id)).status).toBe('approved')
  })
})
