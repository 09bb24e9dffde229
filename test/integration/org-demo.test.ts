import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { login } from '../../runtime/identity'
import { buildMetadataSet } from '../../runtime/registry'
import { installDemo } from '../../server/cli/demo'
import { testTargets } from '../support/databases'

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
})
