import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { getApprovalView, inboxCounts, listInbox } from '../../runtime/approvals'
import { login } from '../../runtime/identity'
import { buildMetadataSet } from '../../runtime/registry'
import { installDemo } from '../../server/cli/demo'
import { startDemoApprovals } from '../../server/cli/demo-approvals'
import { testTargets } from '../support/databases'
import { demoUser, expectShippedReports } from '../support/demo-reports'

describe.each(testTargets())('the demo organisation on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: Ctx
  const ids = new Map<string, string>()
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
    ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta: empty }
    ctx = await installDemo(ctx, 0.05)
    const rows = await db.query<{ id: string; username: string }>(
      sql`select id, username from users`,
    )
    for (const r of rows) ids.set(r.username, r.id)
  }, 240_000)
  afterAll(() => close?.())

  it('creates the company, its departments and people who sign in with `demo`', async () => {
    const departments = await db.query<{
      name: string
      parent: string | null
      head: string | null
    }>(sql`
      select d.name, p.name as parent, u.username as head from departments d
      left join departments p on p.id = d.parent_id left join users u on u.id = d.head_user_id
      order by d.name`)
    expect(departments).toEqual([
      { name: 'Finance', parent: 'Trellis Demo Co.', head: 'fin1' },
      { name: 'HR', parent: 'Trellis Demo Co.', head: 'hr1' },
      { name: 'Sales', parent: 'Trellis Demo Co.', head: 'director' },
      { name: 'Sales East', parent: 'Sales', head: 'mgr_east' },
      { name: 'Sales West', parent: 'Sales', head: 'mgr_west' },
      { name: 'Service', parent: 'Trellis Demo Co.', head: 'agent1' },
      { name: 'Trellis Demo Co.', parent: null, head: null },
    ])
    const { user } = await login({ db, clock: systemClock }, 'rep_east1', 'demo')
    expect(user.managerId).toBe(ids.get('mgr_east'))
    // Every demo person is also an employee (announcements, directory, own leave).
    expect([...(user.roles ?? [])].sort()).toEqual(['employee', 'salesRep'])
  })

  it('links the manager chain: the director is above both teams, a manager above their own only', async () => {
    const reportsOf = async (manager: string) =>
      (
        await db.query<{ username: string }>(sql`
          select u.username from manager_closure m join users u on u.id = m.report_id
          where m.manager_id = ${ids.get(manager)!} order by u.username`)
      ).map((r) => r.username)
    expect(await reportsOf('director')).toEqual([
      'mgr_east',
      'mgr_west',
      'rep_east1',
      'rep_east2',
      'rep_west1',
    ])
    expect(await reportsOf('mgr_east')).toEqual(['rep_east1', 'rep_east2'])
    expect(await reportsOf('mgr_west')).toEqual(['rep_west1'])
  })

  it('spreads the demo customers over the reps and managers, their contacts following them', async () => {
    const owners = await db.query<{ username: string; n: number }>(sql`
      select u.username, count(*)::int as n from app.customer c join users u on u.id = c.owner
      group by u.username order by u.username`)
    expect(owners.map((o) => o.username)).toEqual([
      'mgr_east',
      'mgr_west',
      'rep_east1',
      'rep_east2',
      'rep_west1',
    ])
    const mismatched = await db.query(sql`
      select 1 from app.contact k join app.customer c on c.id = k.customer
      where k.created_by <> c.owner`)
    expect(mismatched).toHaveLength(0)
  })

  /** The user as a session loads them, in a context of their own. */
  async function as(username: string): Promise<Ctx> {
    const { user } = await login(
      { db, clock: systemClock },
      username,
      username === 'admin' ? 'admin' : 'demo',
    )
    return { ...ctx, user }
  }

  it('starts approvals through the engine so each approver’s inbox has work', async () => {
    const pending: Record<string, number> = {}
    for (const username of [...ids.keys()].sort()) {
      const mine = await as(username)
      const { items, counts } = await listInbox(mine, { box: 'pending', limit: 50 })
      expect(counts.pending, username).toBe(items.length)
      if (items.length) pending[username] = items.length
    }
    expect(pending).toEqual({ director: 1, fin1: 2, hr1: 1, mgr_east: 4, mgr_west: 2 })
    const east = await listInbox(await as('mgr_east'), { box: 'pending', limit: 50 })
    expect(east.items.map((i) => i.entity).sort()).toEqual([
      'leaveRequest',
      'quote',
      'quote',
      'quote',
    ])
    // Tasks arrived in the recent past, as the plan dates them, not all at the same instant.
    const arrived = east.items.map((i) => Date.parse(i.createdAt))
    expect(Math.max(...arrived)).toBeLessThan(Date.now())
    expect(new Set(arrived).size).toBe(arrived.length)
  })

  it('holds each submitted record in its flow’s pending state with the right approver’s task', async () => {
    const running = await db.query<{
      entity: string
      submitter: string
      assignee: string
      step: string
      state: string
    }>(sql`
      select i.entity, s.username as submitter, a.username as assignee, t.step,
        coalesce(q.status, l.status, c.status, o.status) as state
      from flow_instances i
      join users s on s.id = i.submitter
      join approval_tasks t on t.instance_id = i.id and t.status = 'pending'
      join users a on a.id = t.assignee
      left join app.quote q on i.entity = 'quote' and q.id = i.record_id
      left join app.leave_request l on i.entity = 'leaveRequest' and l.id = i.record_id
      left join app.expense_claim c on i.entity = 'expenseClaim' and c.id = i.record_id
      left join app.sales_order o on i.entity = 'salesOrder' and o.id = i.record_id
      where i.status = 'running'
      order by i.entity, s.username, a.username, t.step`)
    expect(running).toEqual([
      {
        entity: 'expenseClaim',
        submitter: 'rep_east2',
        assignee: 'fin1',
        step: 'finance',
        state: 'submitted',
      },
      {
        entity: 'expenseClaim',
        submitter: 'rep_west1',
        assignee: 'mgr_west',
        step: 'manager',
        state: 'submitted',
      },
      {
        entity: 'leaveRequest',
        submitter: 'rep_east1',
        assignee: 'mgr_east',
        step: 'manager',
        state: 'submitted',
      },
      {
        entity: 'leaveRequest',
        submitter: 'rep_east2',
        assignee: 'hr1',
        step: 'hr',
        state: 'submitted',
      },
      {
        entity: 'leaveRequest',
        submitter: 'rep_west1',
        assignee: 'mgr_west',
        step: 'manager',
        state: 'submitted',
      },
      {
        entity: 'quote',
        submitter: 'rep_east1',
        assignee: 'mgr_east',
        step: 'manager',
        state: 'pendingApproval',
      },
      {
        entity: 'quote',
        submitter: 'rep_east1',
        assignee: 'mgr_east',
        step: 'manager',
        state: 'pendingApproval',
      },
      {
        entity: 'quote',
        submitter: 'rep_east2',
        assignee: 'director',
        step: 'director',
        state: 'pendingApproval',
      },
      {
        entity: 'quote',
        submitter: 'rep_east2',
        assignee: 'mgr_east',
        step: 'manager',
        state: 'pendingApproval',
      },
      {
        entity: 'salesOrder',
        submitter: 'rep_east1',
        assignee: 'fin1',
        step: 'finance',
        state: 'pendingApproval',
      },
    ])
    const [order] = await db.query<{ total: number }>(sql`
      select o.total::float8 as total from app.sales_order o
      join flow_instances i on i.record_id = o.id where i.status = 'running'`)
    expect(order.total).toBeGreaterThan(500_000)
    // Every pending task was announced to its assignee, as the engine notifies.
    const [unnoticed] = await db.query<{ n: number }>(sql`
      select count(*)::int as n from approval_tasks t
      where t.status = 'pending' and not exists (select 1 from notifications n
        where n.user_id = t.assignee and n.record_id = t.record_id)`)
    expect(unnoticed.n).toBe(0)
    // rep_east1's approvals all wait at their first step: nothing unread (the bell's browser test
    // starts from that), while rep_east2 was told of the rejection.
    const unread = await db.query<{ username: string; n: number }>(sql`
      select u.username, count(n.id)::int as n from users u
      left join notifications n on n.user_id = u.id
      where u.username in ('rep_east1', 'rep_east2') group by u.username order by u.username`)
    expect(unread).toEqual([
      { username: 'rep_east1', n: 0 },
      { username: 'rep_east2', n: 1 },
    ])
  })

  it('leaves one approval approved and one rejected with its comment, in the boxes and history', async () => {
    const ended = await db.query<{ status: string; state: string; comment: string | null }>(sql`
      select i.status, q.status as state, t.comment from flow_instances i
      join app.quote q on q.id = i.record_id
      join approval_tasks t on t.instance_id = i.id and t.decided_at is not null
      where i.status <> 'running' order by i.status`)
    expect(ended).toEqual([
      { status: 'approved', state: 'approved', comment: 'OK, renewal customer.' },
      {
        status: 'rejected',
        state: 'notApproved',
        comment: '28 % is below our floor on the controllers: resubmit at 20 % at most.',
      },
    ])
    // The submitter reads the rejection on the quote: submitted, then rejected by the manager.
    const [rejected] = await db.query<{ id: string }>(sql`
      select record_id as id from flow_instances where status = 'rejected'`)
    const view = await getApprovalView(await as('rep_east2'), 'quote', rejected.id)
    const by = (id: string | undefined) => [...ids].find(([, v]) => v === id)?.[0] ?? null
    expect(view.timeline.map((t) => [t.action, by(t.by?.id), t.comment])).toEqual([
      ['submit', 'rep_east2', null],
      [
        'reject',
        'mgr_east',
        '28 % is below our floor on the controllers: resubmit at 20 % at most.',
      ],
      ['complete', null, 'rejected'],
    ])
    expect(view.canResubmit).toBe(true)
    const done = await listInbox(await as('mgr_east'), { box: 'done', limit: 50 })
    expect(done.items.map((i) => i.status).sort()).toEqual([
      'approved',
      'approved',
      'approved',
      'rejected',
    ])
    const submitted = await inboxCounts(await as('rep_east2'))
    expect(submitted.submitted).toBe(4)
  })

  it('starts nothing more on a second load of the demo', async () => {
    const count = sql`select (select count(*) from flow_instances)::int as instances,
      (select count(*) from approval_tasks)::int as tasks,
      (select count(*) from notifications)::int as notices`
    const [before] = await db.query(count)
    expect(await startDemoApprovals(ctx)).toBe(0)
    await installDemo(ctx, 0.05)
    expect(await db.query(count)).toEqual([before])
  })

  it('runs every shipped report on the demo data, a rep seeing only their own deals', async () => {
    await expectShippedReports(ctx, await demoUser(db, 'rep_east1', 'zh-CN'))
  })
})
