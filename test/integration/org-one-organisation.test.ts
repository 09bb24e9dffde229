import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { buildMetadataSet, createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { installDemo } from '../../server/cli/demo'
import { loadSeedBundle } from '../../seeds'
import { DEMO_PEOPLE } from '../../seeds/demo/people'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>

/**
 * The demo is one organisation: the platform's departments, positions and users, every login
 * with its personnel file, and the demo records given to the people whose work they are.
 */
describe.each(testTargets())('one demo organisation on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let app: ReturnType<typeof buildApp>
  const tokens = new Map<string, string>()
  const ids = new Map<string, string>()

  async function api(who: string, method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(who)}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }

  /** Every row of an entity the user may list. */
  async function listAs(who: string, entity: string): Promise<Json[]> {
    const res = await api(who, 'GET', `/api/data/${entity}?limit=500`)
    expect(res.status, `${who} lists ${entity}`).toBe(200)
    expect(res.body.nextCursor ?? null).toBeNull()
    return res.body.data as Json[]
  }

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
    const ctx: Ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta: empty }
    await installDemo(ctx, 0.05)
    app = buildApp({
      db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(db),
    })
    for (const r of await db.query<{ id: string; username: string }>(
      sql`select id, username from users`,
    ))
      ids.set(r.username, r.id)
    for (const { username } of DEMO_PEOPLE) {
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: username === 'admin' ? 'admin' : 'demo' }),
      })
      expect(res.status, `login ${username}`).toBe(200)
      tokens.set(username, ((await res.json()) as { token: string }).token)
    }
  }, 300_000)
  afterAll(() => close?.())

  it('has one department tree and one positions list: the platform’s, no HR copy', async () => {
    const roots = await db.query<{ name: string }>(
      sql`select name from departments where parent_id is null`,
    )
    expect(roots).toEqual([{ name: 'Trellis Demo Co.' }])
    const tables = await db.query<{ table_name: string }>(sql`
      select table_name from information_schema.tables
      where table_schema = 'app' and table_name in ('org_department', 'position')`)
    expect(tables).toEqual([])
    const entities = await api('admin', 'GET', '/api/meta/entities')
    expect(entities.status).toBe(200)
    const entityIds = JSON.stringify(entities.body)
    expect(entityIds).not.toContain('"orgDepartment"')
    expect(entityIds).not.toContain('"position"')
    // Every demo login holds one of the platform's positions.
    const unplaced = await db.query<{ username: string }>(sql`
      select username from users where position_id is null or department_id is null`)
    expect(unplaced).toEqual([])
  })

  it('gives each demo login exactly one personnel file, in the login’s department', async () => {
    const files = await listAs('hr1', 'employee')
    const departments = new Map(
      (
        await db.query<{ id: string; department_id: string }>(
          sql`select id, department_id from users`,
        )
      ).map((r) => [r.id, r.department_id]),
    )
    for (const { username } of DEMO_PEOPLE) {
      const own = files.filter((f) => f.account === ids.get(username))
      expect(own, username).toHaveLength(1)
      expect(own[0].department, username).toBe(departments.get(ids.get(username)!))
    }
    expect(files).toHaveLength(DEMO_PEOPLE.length)
  })

  it('lets a rep file leave for themselves, and only for themselves', async () => {
    const leave: Json = { leaveType: 'annual', startDate: '2025-07-07', endDate: '2025-07-08' }
    // `days` is typed in, or computed from the dates when the entity has it as a formula.
    const days = loadSeedBundle()
      .entities.find((e) => e.id === 'leaveRequest')!
      .fields.find((f) => f.name === 'days')
    if (days && days.type !== 'formula') leave.days = 2
    const filed = await api('rep_east1', 'POST', '/api/data/leaveRequest', leave)
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    expect(filed.body.applicant).toBe(ids.get('rep_east1'))
    const mine = await listAs('rep_east1', 'leaveRequest')
    expect(mine.map((r) => r.id)).toContain(filed.body.id)
    expect(new Set(mine.map((r) => r.applicant))).toEqual(new Set([ids.get('rep_east1')]))
    const forOther = await api('rep_east1', 'POST', '/api/data/leaveRequest', {
      ...leave,
      applicant: ids.get('rep_west1'),
    })
    expect(forOther.status).toBe(403)
    // The form sends the read-only status's default, which sets nothing; another status is refused:
    // a new leave request starts in its flow's initial state.
    const asForm = await api('rep_east1', 'POST', '/api/data/leaveRequest', {
      ...leave,
      status: 'draft',
    })
    expect(asForm.status, JSON.stringify(asForm.body)).toBe(201)
    const approved = await api('rep_east1', 'POST', '/api/data/leaveRequest', {
      ...leave,
      status: 'approved',
    })
    expect(approved.status).toBe(422)
    expect(JSON.stringify(approved.body)).toContain('"path":"status"')
    // HR sees everyone's leave, the rep's new request included.
    const all = await listAs('hr1', 'leaveRequest')
    expect(all.map((r) => r.id)).toContain(filed.body.id)
    expect(new Set(all.map((r) => r.applicant)).size).toBeGreaterThan(1)
  })

  it('files a leave request under its applicant’s department, the demo’s and a new one alike', async () => {
    const departmentOf = new Map(
      (
        await db.query<{ id: string; department_id: string }>(
          sql`select id, department_id from users`,
        )
      ).map((r) => [r.id, r.department_id]),
    )
    const demo = await listAs('hr1', 'leaveRequest')
    expect(demo.length).toBeGreaterThan(0)
    for (const r of demo) expect(r.department).toBe(departmentOf.get(r.applicant as string))
    const leave: Json = { leaveType: 'annual', startDate: '2025-08-04', endDate: '2025-08-05' }
    const own = await api('rep_east1', 'POST', '/api/data/leaveRequest', leave)
    expect(own.status, JSON.stringify(own.body)).toBe(201)
    expect(own.body.department).toBe(departmentOf.get(ids.get('rep_east1')!))
    // HR files for someone of another department: the request goes under theirs.
    const forAgent = await api('hr1', 'POST', '/api/data/leaveRequest', {
      ...leave,
      applicant: ids.get('agent1'),
    })
    expect(forAgent.status, JSON.stringify(forAgent.body)).toBe(201)
    expect(forAgent.body.department).toBe(departmentOf.get(ids.get('agent1')!))
    expect(forAgent.body.department).not.toBe(own.body.department)
    // The department follows the applicant; it is never typed in.
    const typed = await api('rep_east1', 'POST', '/api/data/leaveRequest', {
      ...leave,
      department: departmentOf.get(ids.get('agent1')!),
    })
    expect(typed.status).toBe(422)
    expect(JSON.stringify(typed.body)).toContain('"path":"department"')
  })

  it('names a leave request by its leave type in each approver’s language, never by its code', async () => {
    const leave: Json = {
      leaveType: 'sick',
      startDate: '2025-07-14',
      endDate: '2025-07-14',
      reason: 'Flu',
    }
    const days = loadSeedBundle()
      .entities.find((e) => e.id === 'leaveRequest')!
      .fields.find((f) => f.name === 'days')
    if (days && days.type !== 'formula') leave.days = 1
    const filed = await api('rep_east1', 'POST', '/api/data/leaveRequest', leave)
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    await db.query(sql`update users set locale = 'zh-CN' where username = 'mgr_east'`)
    const submitted = await api(
      'rep_east1',
      'POST',
      `/api/data/leaveRequest/${filed.body.id}/transitions/submit`,
      { version: filed.body.version },
    )
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    const told = await db.query<{ title: string }>(sql`
      select n.title from notifications n join users u on u.id = n.user_id
      where u.username = 'mgr_east' and n.record_id = ${filed.body.id as string}::uuid`)
    expect(told.map((n) => n.title)).toEqual(['病假 等待您审批'])
    // Switching language, the manager reads the same notice in the new one.
    const switched = await api('mgr_east', 'PATCH', '/api/auth/me', { locale: 'ko' })
    expect(switched.status, JSON.stringify(switched.body)).toBe(200)
    const page = await api('mgr_east', 'GET', '/api/notifications?limit=100')
    const read = (page.body.data as { recordId: string; title: string }[]).filter(
      (n) => n.recordId === filed.body.id,
    )
    expect(read.map((n) => n.title)).toEqual(['병가 승인을 기다리고 있습니다'])
  })

  it('fills the service agent’s queue with tickets assigned to them', async () => {
    const queue = await listAs('agent1', 'ticket')
    expect(queue.length).toBeGreaterThan(0)
    expect(queue.filter((t) => t.assignee === ids.get('agent1')).length).toBeGreaterThan(0)
    const [all] = await db.query<{ n: number }>(sql`select count(*)::int as n from app.ticket`)
    expect(queue).toHaveLength(all.n)
    const dispatches = await listAs('agent1', 'dispatch')
    expect(dispatches.length).toBeGreaterThan(0)
    // Service work belongs to the service team, none of it to sales staff.
    const [others] = await db.query<{ n: number }>(sql`
      select count(*)::int as n from app.ticket where assignee is distinct from ${ids.get('agent1')!}`)
    expect(others.n).toBe(0)
  })

  it('numbers the demo’s tickets and dispatches in the order they were made, every one', async () => {
    const byTime = (rows: Json[], at: string) =>
      // Two made at the same minute may come in either order: their numbers decide.
      [...rows].sort(
        (a, b) =>
          String(a[at]).localeCompare(String(b[at])) ||
          String(a.number).localeCompare(String(b.number)),
      )
    const numbersOf = (rows: Json[]) => rows.map((r) => String(r.number))
    const serial = (n: string) => n.replace(/^\D+-(\d{4})-(\d+)$/, '$1$2')
    const tickets = byTime(await listAs('agent1', 'ticket'), 'reportedAt')
    const dispatches = byTime(await listAs('agent1', 'dispatch'), 'createdAt')
    expect(dispatches.length).toBeGreaterThan(1)
    for (const [rows, pattern] of [
      [tickets, /^TK-\d{4}-\d{5}$/],
      [dispatches, /^DP-\d{4}-\d{5}$/],
    ] as const) {
      for (const n of numbersOf(rows)) expect(n).toMatch(pattern)
      const serials = numbersOf(rows).map(serial)
      expect(serials).toEqual([...serials].sort())
    }
    // A dispatch is made once its ticket is reported, and numbered in that year; one whose hours
    // are in is completed (a confirmed one would still ask for its work to be done).
    const reported = new Map(tickets.map((t) => [t.id, String(t.reportedAt)]))
    expect(dispatches.some((d) => d.workHours != null)).toBe(true)
    for (const d of dispatches) {
      expect(d.status === 'completed', String(d.number)).toBe(d.workHours != null)
      const at = reported.get(d.ticket as string)!
      expect(String(d.createdAt) > at, String(d.number)).toBe(true)
      expect(String(d.number).slice(3, 7)).toBe(String(d.createdAt).slice(0, 4))
    }
  })

  it('shows a manager their team’s records and no other team’s', async () => {
    const owners = new Set((await listAs('mgr_east', 'customer')).map((c) => c.owner))
    expect(owners).toEqual(new Set(['mgr_east', 'rep_east1', 'rep_east2'].map((u) => ids.get(u))))
  })

  it('shows quotes, payments and complaints on the customer page, invoices and payments on the order', async () => {
    const [customer] = await db.query<{ id: string }>(sql`
      select c.id from app.customer c
      where exists (select 1 from app.quote q where q.customer = c.id)
        and exists (select 1 from app.payment p where p.customer = c.id)
      limit 1`)
    const page = await api('admin', 'GET', `/api/data/customer/${customer.id}?related=true`)
    expect(page.status).toBe(200)
    const related = page.body.related as Record<string, { data: Json[] }>
    expect(Object.keys(related)).toEqual(
      expect.arrayContaining(['quotes', 'payments', 'complaints']),
    )
    expect(related.quotes.data.length).toBeGreaterThan(0)
    expect(related.payments.data.length).toBeGreaterThan(0)
    const [order] = await db.query<{ id: string }>(sql`
      select o.id from app.sales_order o
      where exists (select 1 from app.invoice i where i.sales_order = o.id) limit 1`)
    const orderPage = await api('admin', 'GET', `/api/data/salesOrder/${order.id}?related=true`)
    const orderRelated = orderPage.body.related as Record<string, { data: Json[] }>
    expect(Object.keys(orderRelated).sort()).toEqual(['invoices', 'payments'])
    expect(orderRelated.invoices.data.length).toBeGreaterThan(0)
  })
})
