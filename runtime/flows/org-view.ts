import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { OrgView, UserId } from './approval-instance'
import type { OrgNeeds } from './org-needs'

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

/** Longest manager chain followed (an org chart with a cycle ends here). */
const MAX_CHAIN = 64

const parsed = <T>(value: unknown): T[] =>
  (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T[]

/**
 * The part of the organisation one event may ask about (see orgNeeds), in one statement: the
 * users named with their manager chains to the top, the members of the roles named, the heads of
 * their departments and of the departments named, the administrators when asked, the
 * out-of-office rows of all of them and their substitutes. Read afresh in the caller's
 * transaction, so an approval sees the organisation as it is now, at a cost that follows the
 * approval, not the number of users.
 * @example (await loadOrgViewFor(ctx, orgNeeds(flow, record, me, null))).managerOf(me)
 */
export async function loadOrgViewFor(ctx: Pick<Ctx, 'db'>, needs: OrgNeeds): Promise<OrgView> {
  const list = (values: string[]) => sql`${JSON.stringify(values)}::jsonb`
  const [row] = await ctx.db.query<{ users: unknown; heads: unknown; away: unknown }>(sql`
    with recursive
    seeds as (
      select u.id, u.manager_id, u.department_id from users u
      where u.id in (select (jsonb_array_elements_text(${list(needs.users)}))::uuid)),
    chain(id, depth) as (
      select manager_id, 1 from seeds where manager_id is not null
      union
      select u.manager_id, c.depth + 1 from chain c join users u on u.id = c.id
      where u.manager_id is not null and c.depth < ${MAX_CHAIN}),
    heads as (
      select d.id::text as id, d.head_user_id::text as head from departments d
      where d.id in (select department_id from seeds)
        or d.id in (select (jsonb_array_elements_text(${list(needs.departments)}))::uuid)),
    base as (
      select id from seeds
      union select id from chain
      union select user_id from user_roles
        where role_id in (select jsonb_array_elements_text(${list(needs.roles)}))
      union select id from users where ${needs.admins} and is_admin
      union select id from users
        where lower(username) in (select jsonb_array_elements_text(${list(needs.usernames)}))
      union select head::uuid from heads where head is not null),
    away as (
      select a.user_id, a.substitute_id, a.starts_at, a.ends_at from out_of_office a
      where a.user_id in (select id from base)),
    everyone as (select id from base union select substitute_id from away)
    select
      (select json_agg(json_build_object('id', u.id::text, 'username', u.username,
          'manager_id', u.manager_id::text, 'department_id', u.department_id::text,
          'is_admin', u.is_admin,
          'roles', array(select r.role_id from user_roles r where r.user_id = u.id)))
        from users u where u.id in (select id from everyone) and not u.disabled) as users,
      (select json_agg(h) from heads h) as heads,
      (select json_agg(json_build_object('user_id', a.user_id::text,
          'substitute_id', a.substitute_id::text, 'starts_at', a.starts_at, 'ends_at', a.ends_at))
        from away a) as away`)
  return buildOrgView(
    parsed<UserRow>(row?.users),
    parsed<{ id: string; head: string | null }>(row?.heads),
    parsed<AwayRow>(row?.away),
  )
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
