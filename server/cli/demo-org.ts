import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../../runtime/context'
import {
  createDepartment,
  createOrgUser,
  createPosition,
  updateDepartment,
  updateOrgUser,
} from '../../runtime/org'
import {
  DEMO_COMPANY,
  DEMO_DEPARTMENTS,
  DEMO_PEOPLE,
  DEMO_POSITIONS,
  DEMO_WORKERS,
} from '../../seeds/demo/people'

/** Every demo password (demo instances only). */
export const DEMO_PASSWORD = 'demo'

/** The demo users who own demo sales records, in round-robin order. */
export const DEMO_RECORD_OWNERS = DEMO_WORKERS.sales

/**
 * The one demo organisation: DEMO_COMPANY with Sales (East, West), Service, HR and Finance, its
 * positions, its people (password `demo`) with managers, positions and roles; the administrator
 * joins the company. Role ids missing from the published metadata are left out. Does nothing
 * when `director` exists already. Answers the people (admin included) by username.
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
  const company = await createDepartment(ctx, { name: DEMO_COMPANY, kind: 'company' })
  const departments = new Map<string, string>([[DEMO_COMPANY, company.id]])
  for (const d of DEMO_DEPARTMENTS) {
    const parentId = departments.get(d.parent ?? DEMO_COMPANY)
    departments.set(d.name, (await createDepartment(ctx, { name: d.name, parentId })).id)
  }
  const positions = new Map<string, string>()
  for (const p of DEMO_POSITIONS) {
    const departmentId = departments.get(p.department ?? DEMO_COMPANY)
    positions.set(p.name, (await createPosition(ctx, { name: p.name, departmentId })).id)
  }
  const ids = new Map<string, string>([['admin', admin.id]])
  for (const p of DEMO_PEOPLE) {
    const placement = {
      departmentId: departments.get(p.department ?? DEMO_COMPANY),
      managerId: p.manager ? ids.get(p.manager) : null,
      positionId: positions.get(p.position),
      roles: rolesOf(p.role),
    }
    if (p.username === 'admin') {
      await updateOrgUser(ctx, admin.id, placement)
      continue
    }
    const user = await createOrgUser(
      ctx,
      { username: p.username, password: DEMO_PASSWORD, displayName: p.displayName, ...placement },
      { allowWeakPassword: true },
    )
    ids.set(p.username, user.id)
  }
  for (const d of DEMO_DEPARTMENTS) {
    if (d.head)
      await updateDepartment(ctx, departments.get(d.name)!, { headUserId: ids.get(d.head) })
  }
  return demoPeople(ctx)
}

/** The demo people that exist, by username (the administrator included). */
export async function demoPeople(ctx: Pick<Ctx, 'db'>): Promise<Map<string, CurrentUser>> {
  const names = DEMO_PEOPLE.map((p) => p.username)
  const rows = await ctx.db.query<{
    id: string
    username: string
    display_name: string
    is_admin: boolean
  }>(sql`
    select id, username, display_name, is_admin from users
    where lower(username) in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))`)
  return new Map(
    rows.map((r) => [
      r.username,
      {
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        locale: 'en',
        isAdmin: r.is_admin,
      },
    ]),
  )
}
