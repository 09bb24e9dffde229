import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openApprovalsFixture, type ApprovalsFixture } from './approvals-fixture'

const TASK = '/api/tasks/{id}/{action}'
const BULK = '/api/tasks/bulk'
const INBOX = '/api/inbox'
const MISSING = '00000000-0000-4000-8000-000000000001'

describe.each(testTargets())('Approval tasks and the inbox on $name', (target) => {
  let f: ApprovalsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openApprovalsFixture(target, clock)
  })
  afterAll(() => f?.close())

  /** A submitted leave request of `who` and its first pending task. */
  async function submitted(who: 'rep1' | 'rep2' | 'rep3' = 'rep1', days = 2) {
    clock.advance(1000)
    const { id, version } = await f.leave(who, { days })
    const [task] = await f.submit(who, id, version)
    return { id, task }
  }

  const act = (
    who: Parameters<ApprovalsFixture['call2']>[0],
    task: string,
    action: string,
    body?: unknown,
  ) => f.call2(who, 'POST', TASK, `/api/tasks/${task}/${action}`, body)

  it('lets the manager approve their task; the record moves on and the done box lists it', async () => {
    const { id, task } = await submitted('rep1')
    const res = await act('mgr', task, 'approve', { comment: 'Enjoy' })
    expect(res.problems).toEqual([])
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      taskId: task,
      status: 'approved',
      approval: { status: 'approved' },
    })
    const record = await f.call2('rep1', 'GET', '/api/data/leave/{id}', `/api/data/leave/${id}`)
    expect(record.body.status).toBe('approved')
    const done = await f.call2('mgr', 'GET', INBOX, `${INBOX}?box=done`)
    expect(done.problems).toEqual([])
    expect(done.body.items.map((i: { taskId: string }) => i.taskId)).toContain(task)
  })

  it('answers 404 for an unknown task, 403 to someone else, 409 ALREADY_DECIDED once decided', async () => {
    const { task } = await submitted('rep2')
    const unknown = await act('mgr', MISSING, 'approve')
    expect([unknown.status, unknown.problems]).toEqual([404, []])
    expect((await act('mgr', 'not-a-uuid', 'approve')).status).toBe(404)
    expect((await act('mgr', task, 'frobnicate')).status).toBe(404)
    const other = await act('hr1', task, 'approve')
    expect([other.status, other.problems]).toEqual([403, []])
    expect((await act('mgr', task, 'approve')).status).toBe(200)
    const again = await act('mgr', task, 'approve')
    expect([again.status, again.body.error.code, again.problems]).toEqual([
      409,
      'ALREADY_DECIDED',
      [],
    ])
  })

  it('refuses a rejection without a comment, naming comment, and rejects with one', async () => {
    const { id, task } = await submitted('rep1')
    const bare = await act('mgr', task, 'reject', {})
    expect([bare.status, bare.problems]).toEqual([422, []])
    expect(bare.body.error.details.map((d: { path: string }) => d.path)).toEqual(['comment'])
    const res = await act('mgr', task, 'reject', { comment: 'Busy week' })
    expect([res.status, res.body.status, res.body.approval.status]).toEqual([
      200,
      'rejected',
      'rejected',
    ])
    const record = await f.call2('rep1', 'GET', '/api/data/leave/{id}', `/api/data/leave/${id}`)
    expect(record.body.status).toBe('rejected')
  })

  it('refuses delegating to someone who is not an active user, naming to', async () => {
    const { task } = await submitted('rep2')
    const res = await act('mgr', task, 'delegate', { to: MISSING })
    expect([res.status, res.body.error.details[0].path, res.problems]).toEqual([422, 'to', []])
    const moved = await act('mgr', task, 'transfer', { to: f.ids.hr1 })
    expect(moved.status).toBe(200)
    const pending = await f.call2('hr1', 'GET', INBOX, `${INBOX}?box=pending`)
    expect(pending.body.items.map((i: { taskId: string }) => i.taskId)).toContain(task)
    expect((await act('mgr', task, 'approve')).status).toBe(403)
  })

  it('bulk-approves three tasks of which one was decided: two ok, one conflict', async () => {
    const tasks = [
      (await submitted('rep1')).task,
      (await submitted('rep2')).task,
      (await submitted('rep1')).task,
    ]
    expect((await act('mgr', tasks[1], 'approve')).status).toBe(200)
    const res = await f.call2('mgr', 'POST', BULK, BULK, { action: 'approve', tasks })
    expect(res.problems).toEqual([])
    expect(res.status).toBe(200)
    expect(res.body.results).toEqual([
      { id: tasks[0], ok: true, status: 'approved' },
      expect.objectContaining({ id: tasks[1], ok: false, status: 409, code: 'ALREADY_DECIDED' }),
      { id: tasks[2], ok: true, status: 'approved' },
    ])
  })

  it('refuses a bulk rejection without a comment and a bulk of no tasks, naming the field', async () => {
    const { task } = await submitted('rep2')
    const bare = await f.call2('mgr', 'POST', BULK, BULK, { action: 'reject', tasks: [task] })
    expect([bare.status, bare.body.error.details[0].path]).toEqual([422, 'comment'])
    const none = await f.call2('mgr', 'POST', BULK, BULK, { action: 'approve', tasks: [] })
    expect([none.status, none.body.error.details[0].path]).toEqual([422, 'tasks'])
    const other = await f.call2('hr1', 'POST', BULK, BULK, {
      action: 'approve',
      tasks: [task, MISSING],
    })
    expect(other.body.results).toEqual([
      expect.objectContaining({ id: task, ok: false, status: 403 }),
      expect.objectContaining({ id: MISSING, ok: false, status: 404 }),
    ])
  })

  it('lists pending tasks with titles, labels and the submitter, newest first, page by page', async () => {
    const a = await submitted('rep1')
    const b = await submitted('rep2')
    const first = await f.call2('mgr', 'GET', INBOX, `${INBOX}?box=pending&limit=1`)
    expect(first.problems).toEqual([])
    expect(first.body.items).toEqual([
      expect.objectContaining({
        taskId: b.task,
        recordId: b.id,
        entity: 'leave',
        entityLabel: 'Leave request',
        title: 'Leave of rep2',
        step: 'manager',
        stepLabel: 'Manager review',
        submitter: { id: f.ids.rep2, name: 'Person rep2' },
        status: 'pending',
      }),
    ])
    const second = await f.call2(
      'mgr',
      'GET',
      INBOX,
      `${INBOX}?box=pending&limit=1&cursor=${first.body.nextCursor}`,
    )
    expect(second.body.items[0].taskId).toBe(a.task)
    const counts = await f.call2('mgr', 'GET', '/api/inbox/counts', '/api/inbox/counts')
    expect(counts.problems).toEqual([])
    expect(counts.body.pending).toBe(first.body.counts.pending)
    expect(counts.body.pending).toBeGreaterThanOrEqual(2)
    const submittedBox = await f.call2('rep2', 'GET', INBOX, `${INBOX}?box=submitted`)
    expect(submittedBox.body.items[0]).toMatchObject({
      recordId: b.id,
      taskId: null,
      status: 'running',
    })
    expect((await f.call2('mgr', 'GET', INBOX, `${INBOX}?box=later`)).status).toBe(400)
    expect((await f.call2('mgr', 'GET', INBOX, `${INBOX}?cursor=nonsense`)).status).toBe(400)
  })

  it('lets an approver whose roles do not reach the record read it and act, through an approval share', async () => {
    // The outsider's session is cached before the share exists: it must not hide it.
    const before = await f.call2('outsider', 'GET', INBOX, `${INBOX}?box=pending`)
    expect([before.status, before.body.items]).toEqual([200, []])
    const { id, task } = await submitted('rep3')
    const inbox = await f.call2('outsider', 'GET', INBOX, `${INBOX}?box=pending`)
    expect(inbox.body.items.map((i: { taskId: string }) => i.taskId)).toEqual([task])
    const counts = await f.call2('outsider', 'GET', '/api/inbox/counts', '/api/inbox/counts')
    expect(counts.body.pending).toBe(1)
    const record = await f.call2('outsider', 'GET', '/api/data/leave/{id}', `/api/data/leave/${id}`)
    expect([record.status, record.body.title]).toEqual([200, 'Leave of rep3'])
    // Neither a task nor a share: still 404.
    const other = await f.call2('rep1', 'GET', '/api/data/leave/{id}', `/api/data/leave/${id}`)
    expect(other.status).toBe(404)
    const shares = await f.db.query<{ user_id: string; access: string; reason: string }>(sql`
      select user_id::text as user_id, access, reason from record_shares
      where entity = 'leave' and record_id = ${id}::uuid`)
    expect(shares).toEqual([{ user_id: f.ids.outsider, access: 'read', reason: 'approval' }])
    // Each of an approver's shares is a key of its own in the recipient index (migration 0019),
    // not one more entry under (approver, entity); that index is the upsert's unique key too
    // (migration 0020), the only one over a user's shares besides the record's.
    const userIndexes = await f.db.query<{ name: string; def: string }>(sql`
      select indexname as name, indexdef as def from pg_indexes
      where tablename = 'record_shares' and indexdef like '%user_id%' order by indexname`)
    expect(userIndexes.map((i) => i.name)).toEqual(['record_shares_recipient_user_key'])
    expect(userIndexes[0].def).toMatch(
      /UNIQUE INDEX .*\(user_id, entity, record_id\) WHERE \(user_id IS NOT NULL\)$/,
    )
    const res = await act('outsider', task, 'approve')
    expect([res.status, res.problems]).toEqual([200, []])
  })

  it('hides a task again once its approval share is removed, from the list, the counts and acting', async () => {
    const { id, task } = await submitted('rep3')
    await f.db.query(sql`delete from record_shares where record_id = ${id}::uuid`)
    const inbox = await f.call2('outsider', 'GET', INBOX, `${INBOX}?box=pending`)
    expect(inbox.body.items.map((i: { taskId: string }) => i.taskId)).not.toContain(task)
    const res = await act('outsider', task, 'approve')
    expect([res.status, res.problems]).toEqual([403, []])
  })
})
