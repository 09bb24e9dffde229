import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openApprovalsFixture, type ApprovalsFixture } from './approvals-fixture'

const BASE = '/api/data/leave/{id}'
const MISSING = '00000000-0000-4000-8000-000000000001'

describe.each(testTargets())('Transitions and the approval panel on $name', (target) => {
  let f: ApprovalsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openApprovalsFixture(target, clock)
  })
  afterAll(() => f?.close())

  const fire = (
    who: 'rep1' | 'rep2' | 'mgr',
    id: string,
    body: unknown,
    headers?: Record<string, string>,
  ) =>
    f.call2(
      who,
      'POST',
      `${BASE}/transitions/{transition}`,
      `/api/data/leave/${id}/transitions/submit`,
      body,
      headers,
    )

  it('lists the state and what the caller may fire, and refuses a record they cannot read', async () => {
    const { id } = await f.leave('rep1')
    const res = await f.call2(
      'rep1',
      'GET',
      `${BASE}/transitions`,
      `/api/data/leave/${id}/transitions`,
    )
    expect([res.status, res.problems]).toEqual([200, []])
    expect(res.body.state.id).toBe('draft')
    expect(res.body.transitions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'submit', available: true, approval: true }),
      ]),
    )
    const other = await f.call2(
      'rep2',
      'GET',
      `${BASE}/transitions`,
      `/api/data/leave/${id}/transitions`,
    )
    expect([other.status, other.problems]).toEqual([404, []])
  })

  it('answers labels in the language the workspace shows (x-trellis-locale), else the user’s', async () => {
    const { id } = await f.leave('rep1')
    const url = `/api/data/leave/${id}/transitions`
    const saved = await f.call2('rep1', 'GET', `${BASE}/transitions`, url)
    expect(saved.body.state.label).toBe('draft')
    const shown = await f.call2('rep1', 'GET', `${BASE}/transitions`, url, undefined, {
      'x-trellis-locale': 'zh-CN',
    })
    expect([shown.status, shown.problems]).toEqual([200, []])
    expect(shown.body.state.label).toBe('draft（中）')
    expect(shown.body.transitions).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'submit', label: 'Submit（中）' })]),
    )
    // Not a language Trellis speaks: the user's own.
    const odd = await f.call2('rep1', 'GET', `${BASE}/transitions`, url, undefined, {
      'x-trellis-locale': 'fr',
    })
    expect(odd.body.state.label).toBe('draft')
  })

  it('needs the version (422 naming it), refuses a stale one (409), takes it from If-Match', async () => {
    const { id, version } = await f.leave('rep1')
    const bare = await fire('rep1', id, {})
    expect([bare.status, bare.body.error.details[0].path, bare.problems]).toEqual([
      422,
      'version',
      [],
    ])
    const stale = await fire('rep1', id, { version: version + 5 })
    expect([stale.status, stale.problems]).toEqual([409, []])
    const ok = await fire('rep1', id, undefined, { 'if-match': `"${version}"` })
    expect([ok.status, ok.problems]).toEqual([200, []])
    expect(ok.body.approval).toMatchObject({ status: 'running' })
    expect(ok.body.record.status).toBe('pending')
  })

  it('shows the approval panel with names, the timeline, my tasks and what changed since submission', async () => {
    const { id, version } = await f.leave('rep1', { reason: 'Family' })
    const [task] = await f.submit('rep1', id, version)
    const view = async (who: 'rep1' | 'mgr') =>
      f.call2(who, 'GET', `${BASE}/approval`, `/api/data/leave/${id}/approval`)
    const mine = await view('rep1')
    expect([mine.status, mine.problems]).toEqual([200, []])
    expect(mine.body).toMatchObject({
      instance: { status: 'running', submitter: { id: f.ids.rep1, name: 'Person rep1' } },
      myTasks: [],
      canRecall: true,
      canResubmit: false,
      changes: [],
    })
    expect(mine.body.steps[0]).toMatchObject({
      id: 'manager',
      label: 'Manager review',
      status: 'active',
      tasks: [{ id: task, status: 'pending', assignee: { id: f.ids.mgr, name: 'Person mgr' } }],
    })
    expect(mine.body.timeline[0]).toMatchObject({ action: 'submit', by: { name: 'Person rep1' } })
    // The pending state leaves `reason` editable by the approver only.
    const current = await f.call2('mgr', 'GET', BASE, `/api/data/leave/${id}`)
    const patched = await f.call2('mgr', 'PATCH', BASE, `/api/data/leave/${id}`, {
      reason: 'Family (two days)',
      version: current.body.version,
    })
    expect(patched.status).toBe(200)
    const theirs = await view('mgr')
    expect(theirs.body.myTasks).toEqual([
      { id: task, step: 'manager', actions: expect.arrayContaining(['approve', 'reject']) },
    ])
    expect(theirs.body.canRecall).toBe(false)
    expect(theirs.body.changes).toEqual([
      { field: 'reason', label: 'Reason', before: 'Family', after: 'Family (two days)' },
    ])
    const none = await f.call2(
      'rep1',
      'GET',
      `${BASE}/approval`,
      `/api/data/leave/${(await f.leave('rep1')).id}/approval`,
    )
    expect(none.body).toMatchObject({ instance: null, steps: [], canRecall: false })
    expect(
      (await f.call2('rep2', 'GET', `${BASE}/approval`, `/api/data/leave/${id}/approval`)).status,
    ).toBe(404)
  })

  it('lets only the submitter recall a running approval; the record goes back to draft', async () => {
    const { id, version } = await f.leave('rep1')
    await f.submit('rep1', id, version)
    const recall = `${BASE}/approval/recall`
    const url = `/api/data/leave/${id}/approval/recall`
    const byManager = await f.call2('mgr', 'POST', recall, url, {})
    expect([byManager.status, byManager.problems]).toEqual([403, []])
    const ok = await f.call2('rep1', 'POST', recall, url, { comment: 'Wrong dates' })
    expect([ok.status, ok.body.approval.status, ok.problems]).toEqual([200, 'recalled', []])
    const record = await f.call2('rep1', 'GET', BASE, `/api/data/leave/${id}`)
    expect(record.body.status).toBe('draft')
    const again = await f.call2('rep1', 'POST', recall, url)
    expect([again.status, again.problems]).toEqual([409, []])
    const nothing = await f.call2(
      'rep1',
      'POST',
      recall,
      `/api/data/leave/${MISSING}/approval/recall`,
    )
    expect(nothing.status).toBe(404)
  })

  it('resubmits a rejected approval: a new manager task, the panel running again', async () => {
    const { id, version } = await f.leave('rep2')
    const [task] = await f.submit('rep2', id, version)
    const resubmit = `${BASE}/approval/resubmit`
    const url = `/api/data/leave/${id}/approval/resubmit`
    const early = await f.call2('rep2', 'POST', resubmit, url, {})
    expect([early.status, early.problems]).toEqual([409, []])
    const rejected = await f.call2(
      'mgr',
      'POST',
      '/api/tasks/{id}/{action}',
      `/api/tasks/${task}/reject`,
      { comment: 'Dates clash' },
    )
    expect(rejected.status).toBe(200)
    const panel = await f.call2('rep2', 'GET', `${BASE}/approval`, `/api/data/leave/${id}/approval`)
    expect(panel.body.canResubmit).toBe(true)
    expect(
      panel.body.timeline.find((h: { action: string }) => h.action === 'reject'),
    ).toMatchObject({
      by: { id: f.ids.mgr, name: 'Person mgr' },
      onBehalfOf: null,
      step: 'manager',
      stepLabel: 'Manager review',
      comment: 'Dates clash',
    })
    const ok = await f.call2('rep2', 'POST', resubmit, url, { comment: 'Moved a day' })
    expect([ok.status, ok.body.approval.status, ok.problems]).toEqual([200, 'running', []])
    const inbox = await f.call2('mgr', 'GET', '/api/inbox', '/api/inbox?box=pending')
    expect(inbox.body.items.filter((i: { recordId: string }) => i.recordId === id)).toHaveLength(1)
  })
})
