import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import {
  openApprovalsFixture,
  type ApprovalsFixture,
  type Json,
  type Person,
} from './approvals-fixture'

const TASK = '/api/tasks/{id}/{action}'
const INBOX = '/api/inbox'
const APPROVAL = '/api/data/leave/{id}/approval'
const NOTICES = '/api/notifications'
const LINK = '/api/approval-links/{token}'

/*
 * Delegation as its owner lives it over HTTP: the owner sees what they handed on (pending box,
 * marked with the delegate; done box once the delegate decided) and takes a task back while the
 * delegate has not decided; the delegate loses it and history says so.
 */
describe.each(testTargets())('Delegated tasks and taking them back on $name', (target) => {
  let f: ApprovalsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openApprovalsFixture(target, clock)
  })
  afterAll(() => f?.close())

  /** A leave request of rep1 submitted: mgr holds its task. */
  async function submitted() {
    clock.advance(1000)
    const { id, version } = await f.leave('rep1')
    const [task] = await f.submit('rep1', id, version)
    return { id, task: task! }
  }

  const act = (
    who: Parameters<ApprovalsFixture['call2']>[0],
    task: string,
    action: string,
    body?: unknown,
  ) => f.call2(who, 'POST', TASK, `/api/tasks/${task}/${action}`, body)

  const box = async (who: 'mgr' | 'hr1', name: 'pending' | 'done') => {
    const res = await f.call2(who, 'GET', INBOX, `${INBOX}?box=${name}&limit=100`)
    expect([res.status, res.problems]).toEqual([200, []])
    return res.body as { items: Json[]; counts: { pending: number } }
  }
  const rowOf = (page: { items: Json[] }, task: string) =>
    page.items.find((i: { taskId: string }) => i.taskId === task)

  const approvalOf = async (who: Person, id: string) => {
    const res = await f.call2(who, 'GET', APPROVAL, `/api/data/leave/${id}/approval`)
    expect([res.status, res.problems]).toEqual([200, []])
    return res.body
  }

  it('lists a delegated task in the owner done box marked with the delegate, out of their pending box', async () => {
    const before = (await box('mgr', 'pending')).counts.pending
    const { id, task } = await submitted()
    expect((await box('mgr', 'pending')).counts.pending).toBe(before + 1)
    const res = await act('mgr', task, 'delegate', { to: f.ids.hr1, comment: 'Please cover' })
    expect([res.status, res.problems]).toEqual([200, []])

    const pending = await box('mgr', 'pending')
    expect(rowOf(pending, task)).toBeUndefined()
    expect(pending.counts.pending).toBe(before)
    expect(rowOf(await box('mgr', 'done'), task)).toMatchObject({
      recordId: id,
      status: 'pending',
      decidedAt: null,
      delegatedTo: { id: f.ids.hr1, name: 'Person hr1' },
    })
    expect(rowOf(await box('hr1', 'pending'), task)).toMatchObject({
      recordId: id,
      delegatedTo: null,
    })

    const view = await approvalOf('mgr', id)
    expect(view.myTasks).toEqual([{ id: task, step: 'manager', actions: ['reclaim'] }])
    expect((await approvalOf('hr1', id)).myTasks[0].actions).toContain('approve')
  })

  const noticesOf = async (who: Person) => {
    const res = await f.call2(who, 'GET', NOTICES, `${NOTICES}?limit=100`)
    expect([res.status, res.problems]).toEqual([200, []])
    return res.body.data as { title: string; body: string | null; recordId: string | null }[]
  }

  it('lets the owner take the task back: the delegate loses it, is told, and the timeline names them', async () => {
    const { id, task } = await submitted()
    expect((await act('mgr', task, 'delegate', { to: f.ids.hr1 })).status).toBe(200)
    // The delegate's new-task notice carries a signed approve link (as its mail would).
    const handed = (await noticesOf('hr1')).find((n) => n.recordId === id && n.body)
    const link = /\/api\/approval-links\/([A-Za-z0-9_-]+)/.exec(handed!.body!)![1]!
    clock.advance(1000)
    const res = await act('mgr', task, 'reclaim', { comment: 'Back from my trip' })
    expect([res.status, res.problems]).toEqual([200, []])
    expect(res.body).toMatchObject({
      taskId: task,
      status: 'pending',
      approval: { status: 'running' },
    })

    const row = await f.db.query<{ assignee: string; delegated_from: string | null }>(
      sql`select assignee::text, delegated_from::text from approval_tasks where id = ${task}::uuid`,
    )
    expect(row[0]).toEqual({ assignee: f.ids.mgr, delegated_from: null })
    expect(rowOf(await box('hr1', 'pending'), task)).toBeUndefined()
    expect(rowOf(await box('mgr', 'pending'), task)).toMatchObject({ delegatedTo: null })
    expect(rowOf(await box('mgr', 'done'), task)).toBeUndefined()
    const late = await act('hr1', task, 'approve')
    expect([late.status, late.problems]).toEqual([403, []])
    const byLink = await f.call2(null, 'POST', LINK, `/api/approval-links/${link}`)
    expect([byLink.status, byLink.problems]).toEqual([403, []])
    const told = (await noticesOf('hr1')).filter((n) => n.recordId === id).map((n) => n.title)
    expect(told).toEqual([
      'Leave of rep1: the task delegated to you was taken back by its owner',
      'Leave of rep1 awaits your approval',
    ])

    const view = await approvalOf('mgr', id)
    expect(view.timeline.at(-1)).toMatchObject({
      action: 'reclaim',
      by: { id: f.ids.mgr, name: 'Person mgr' },
      comment: 'Back from my trip',
      from: [{ id: f.ids.hr1, name: 'Person hr1' }],
      to: [],
    })
    expect(view.myTasks[0].actions).toContain('approve')
    const done = await act('mgr', task, 'approve', { comment: 'Fine' })
    expect([done.status, done.body.approval.status]).toEqual([200, 'approved'])
    const approved = (await approvalOf('rep1', id)).timeline.find(
      (e: { action: string }) => e.action === 'approve',
    )
    expect(approved).toMatchObject({ by: { id: f.ids.mgr }, onBehalfOf: null })
  })

  it('refuses reclaim to the delegate and strangers (403), on a task not delegated (409) and with a stray field (422)', async () => {
    const { task } = await submitted()
    const notDelegated = await act('mgr', task, 'reclaim')
    expect([notDelegated.status, notDelegated.problems]).toEqual([409, []])
    expect(notDelegated.body.error.details).toEqual([
      { path: 'task', message: 'is not delegated to anyone' },
    ])
    expect((await act('mgr', task, 'delegate', { to: f.ids.hr1 })).status).toBe(200)
    const byDelegate = await act('hr1', task, 'reclaim')
    expect([byDelegate.status, byDelegate.problems]).toEqual([403, []])
    const byStranger = await act('rep2', task, 'reclaim')
    expect([byStranger.status, byStranger.problems]).toEqual([403, []])
    const stray = await act('mgr', task, 'reclaim', { to: f.ids.mgr })
    expect([stray.status, stray.problems]).toEqual([422, []])
    expect(stray.body.error.details.map((d: { path: string }) => d.path)).toEqual(['to'])
    // Still the delegate's after every refusal.
    expect(rowOf(await box('hr1', 'pending'), task)).toBeDefined()
  })

  it('refuses reclaim once the delegate decided (409 ALREADY_DECIDED) and lists it in the owner done box', async () => {
    const { task } = await submitted()
    expect((await act('mgr', task, 'delegate', { to: f.ids.hr1 })).status).toBe(200)
    expect((await act('hr1', task, 'approve', { comment: 'For mgr' })).status).toBe(200)
    const late = await act('mgr', task, 'reclaim')
    expect([late.status, late.body.error.code, late.problems]).toEqual([409, 'ALREADY_DECIDED', []])
    expect(rowOf(await box('mgr', 'pending'), task)).toBeUndefined()
    expect(rowOf(await box('mgr', 'done'), task)).toMatchObject({
      status: 'approved',
      delegatedTo: { id: f.ids.hr1, name: 'Person hr1' },
    })
    expect(rowOf(await box('hr1', 'done'), task)).toMatchObject({ delegatedTo: null })
  })

  it('settles a reclaim racing the delegate approval: exactly one of them takes effect', async () => {
    for (let round = 0; round < 3; round++) {
      const { task } = await submitted()
      expect((await act('mgr', task, 'delegate', { to: f.ids.hr1 })).status).toBe(200)
      const [reclaim, approve] = await Promise.all([
        act('mgr', task, 'reclaim'),
        act('hr1', task, 'approve'),
      ])
      const statuses = [reclaim.status, approve.status]
      const [row] = await f.db.query<{ status: string; assignee: string; decided_by: string }>(
        sql`select status, assignee::text, decided_by::text from approval_tasks
          where id = ${task}::uuid`,
      )
      if (reclaim.status === 200) {
        expect(statuses).toEqual([200, 403])
        expect(row).toMatchObject({ status: 'pending', assignee: f.ids.mgr, decided_by: null })
      } else {
        expect(statuses).toEqual([409, 200])
        expect(reclaim.body.error.code).toBe('ALREADY_DECIDED')
        expect(row).toMatchObject({ status: 'approved', decided_by: f.ids.hr1 })
      }
    }
  })
})
