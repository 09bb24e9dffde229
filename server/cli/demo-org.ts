import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../../runtime/context'
import { createDepartment, createOrgUser, updateDepartment, updateOrgUser } from '../../runtime/org'

/** Every demo password (demo instances only). */
export const DEMO_PASSWORD = 'demo'

/** The demo users who own demo records, in round-robin order. */
export const DEMO_RECORD_OWNERS = ['rep_east1', 'rep_east2', 'rep_west1', 'mgr_east', 'mgr_west']

interface DemoPerson {
  username: string
  displayName: string
  department: string
  manager?: string
  role: string
}

const DEPARTMENTS: { name: string; parent?: string; head?: string }[] = [
  { name: 'Sales', head: 'director' },
  { name: 'Sales East', parent: 'Sales', head: 'mgr_east' },
  { name: 'Sales West', parent: 'Sales', head: 'mgr_west' },
  { name: 'Service', head: 'agent1' },
  { name: 'HR', head: 'hr1' },
  { name: 'Finance', head: 'fin1' },
]

// Managers come before their reports.
const PEOPLE: DemoPerson[] = [
  {
    username: 'director',
    displayName: 'Dana Director',
    department: 'Sales',
    role: 'salesDirector',
  },
  {
    username: 'mgr_east',
    displayName: 'Evan East',
    department: 'Sales East',
    manager: 'director',
    role: 'salesManager',
  },
  {
    username: 'mgr_west',
    displayName: 'Wendy West',
    department: 'Sales West',
    manager: 'director',
    role: 'salesManager',
  },
  {
    username: 'rep_east1',
    displayName: 'Emma Rep',
    department: 'Sales East',
    manager: 'mgr_east',
    role: 'salesRep',
  },
  {
    username: 'rep_east2',
    displayName: 'Eli Rep',
    department: 'Sales East',
    manager: 'mgr_east',
    role: 'salesRep',
  },
  {
    username: 'rep_west1',
    displayName: 'Will Rep',
    department: 'Sales West',
    manager: 'mgr_west',
    role: 'salesRep',
  },
  { username: 'agent1', displayName: 'Sam Agent', department: 'Service', role: 'serviceAgent' },
  { username: 'hr1', displayName: 'Hana HR', department: 'HR', role: 'hrClerk' },
  { username: 'fin1', displayName: 'Finn Finance', department: 'Finance', role: 'finance' },
]

/**
 * The demo organisation: "Trellis Demo Co." with Sales (East, West), Service, HR and Finance,
 * its people (password `demo`), managers and roles. Role ids missing from the published metadata
 * are left out. Does nothing when `director` exists already. Answers the people by username.
 */
export async function ensureDemoOrganisation(
  ctx: Ctx,
  admin: CurrentUser,
): Promise<Map<string, CurrentUser>> {
  const existing = await demoPeople(ctx)
  if (existing.has('director')) return existing
  // Everyone is also an employee: announcements, the directory, their own leave and claims.
  const rolesOf = (id: string) =>
    [id, 'employee'].filter((r, i, all) => ctx.meta.roles.has(r) && all.indexOf(r) === i)
  const company = await createDepartment(ctx, { name: 'Trellis Demo Co.', kind: 'company' })
  const departments = new Map<string, string>()
  for (const d of DEPARTMENTS) {
    const parentId = d.parent ? departments.get(d.parent) : company.id
    departments.set(d.name, (await createDepartment(ctx, { name: d.name, parentId })).id)
  }
  const ids = new Map<string, string>()
  for (const p of PEOPLE) {
    const user = await createOrgUser(
      ctx,
      {
        username: p.username,
        password: DEMO_PASSWORD,
        displayName: p.displayName,
        departmentId: departments.get(p.department),
        managerId: p.manager ? ids.get(p.manager) : null,
        roles: rolesOf(p.role),
      },
      { allowWeakPassword: true },
    )
    ids.set(p.username, user.id)
  }
  for (const d of DEPARTMENTS) {
    if (d.head)
      await updateDepartment(ctx, departments.get(d.name)!, { headUserId: ids.get(d.head) })
  }
  await updateOrgUser(ctx, admin.id, { departmentId: company.id, roles: rolesOf('admin') })
  return demoPeople(ctx)
}

/** The demo people that exist, by username. */
async function demoPeople(ctx: Ctx): Promise<Map<string, CurrentUser>> {
  const names = PEOPLE.map((p) => p.username)
  const rows = await ctx.db.query<{ id: string; username: string; display_name: string }>(sql`
    select id, username, display_name from users
    where username in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))`)
  return new Map(
    rows.map((r) => [
      r.username,
      { id: r.id, username: r.username, displayName: r.display_name, locale: 'en', isAdmin: false },
    ]),
  )
}
