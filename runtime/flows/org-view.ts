import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { OrgView, UserId } from './approval-instance'

interface UserRow {
  id: string
  username: string
  manager_id: string | null
  department_id: string | null
  is_admin: boolean
  roles: string[] | null
}

interface AwayRow {
  user_id: string
  substitute_id: string
  starts_at: Date | string
  ends_at: Date | string
}

/**
 * The organisation as the flow core reads it: active users with their manager, department and
 * roles, department heads, administrators and out-of-office substitutes. Read afresh in the
 * caller's transaction (three queries), so an approval sees the organisation as it is now.
 * @example (await loadOrgView(ctx)).managerOf(userId)
 */
export async function loadOrgView(ctx: Pick<Ctx, 'db'>): Promise<OrgView> {
  const users = await ctx.db.query<UserRow>(sql`
    select u.id::text as id, u.username, u.manager_id::text as manager_id,
      u.department_id::text as department_id, u.is_admin,
      array(select r.role_id from user_roles r where r.user_id = u.id) as roles
    from users u where not u.disabled`)
  const heads = await ctx.db.query<{ id: string; head: string | null }>(
    sql`select id::text as id, head_user_id::text as head from departments`,
  )
  const away = await ctx.db.query<AwayRow>(
    sql`select user_id::text as user_id, substitute_id::text as substitute_id, starts_at, ends_at
      from out_of_office`,
  )
  return buildOrgView(users, heads, away)
}

/** The lookups over loaded rows. Pure. */
export function buildOrgView(
  users: UserRow[],
  heads: { id: string; head: string | null }[],
  away: AwayRow[],
): OrgView {
  const byId = new Map(users.map((u) => [u.id, u]))
  const byName = new Map(users.map((u) => [u.username.toLowerCase(), u.id]))
  const members = new Map<string, UserId[]>()
  for (const u of users)
    for (const role of u.roles ?? []) members.set(role, [...(members.get(role) ?? []), u.id])
  const headOf = new Map(heads.map((d) => [d.id, d.head]))
  const absences = new Map(away.map((a) => [a.user_id, a]))
  const active = (id: string | null | undefined): UserId | null => (id && byId.has(id) ? id : null)
  return {
    userByName: (username) => byName.get(username.toLowerCase()) ?? null,
    managerOf: (user) => active(byId.get(user)?.manager_id),
    departmentOf: (user) => byId.get(user)?.department_id ?? null,
    departmentHead: (department) => active(headOf.get(department)),
    roleMembers: (role) => [...(members.get(role) ?? [])],
    hasRole: (user, role) => byId.get(user)?.roles?.includes(role) ?? false,
    substituteOf(user, at) {
      const a = absences.get(user)
      if (!a || +new Date(a.starts_at) > +at || +new Date(a.ends_at) <= +at) return null
      return active(a.substitute_id)
    },
    admins: () => users.filter((u) => u.is_admin).map((u) => u.id),
    isActive: (user) => byId.has(user),
  }
}
