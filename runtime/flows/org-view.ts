import { sql, type SQL } from 'drizzle-orm'
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

/** What a process keeps of one database's organisation: the view and the version it was read at. */
interface HeldOrg {
  version: number
  view: OrgView
}

/** Per opened database (`Db.database`): the newest organisation this process read. */
const held = new WeakMap<object, HeldOrg>()

// The row's id goes as a parameter so the statement is prepared once per connection (one
// without parameters goes by the simple protocol and is planned on every call).
const ORG_VERSION = sql`(select version from org_version where id = ${1})`

/*
 * The same, for the first statement of a flow's transaction on PostgreSQL: it also plans the rest
 * of the transaction's prepared statements once per connection (generic plans), as `planOnce`
 * does, without a statement of its own (set_config answers the value it set, never null).
 */
const ORG_VERSION_PLANNING_ONCE = sql`(case
  when set_config('plan_cache_mode', 'force_generic_plan', true) is not null then ${ORG_VERSION} end)`

/**
 * The organisation's version as a column for a statement of the caller's (bumped by triggers
 * whenever what the view reads changes). `planOnce`: the caller's transaction has just begun and
 * its further statements (a flow's many-CTE writes, keyed by ids) are to be planned once per
 * connection, not for every call's values (see `planOnce` in runtime/db); PGlite plans every
 * statement afresh anyway. The column then goes in the transaction's first statement, evaluated
 * once (a select list of at most one row).
 */
export function orgVersionColumn(db: Pick<Ctx, 'db'>['db'], planOnce = false): SQL {
  return planOnce && db.dialect === 'postgres' ? ORG_VERSION_PLANNING_ONCE : ORG_VERSION
}

/** The organisation's version; with `planOnce`, as in `orgVersionColumn`. */
export async function readOrgVersion(
  ctx: Pick<Ctx, 'db'>,
  options: { planOnce?: boolean } = {},
): Promise<number> {
  const rows = await ctx.db.query<{ version: number | string | null }>(
    sql`select ${orgVersionColumn(ctx.db, options.planOnce)} as version`,
  )
  return Number(rows[0]?.version ?? 0)
}

/**
 * The organisation as the flow core reads it: active users with their manager, department and
 * roles, department heads, administrators and out-of-office substitutes — as it is now. The
 * process keeps the view it read last under the version it read it at (one statement, one
 * snapshot), so a caller that read the version in its transaction (`version`, else read here)
 * gets it without reading the organisation again until a change moves the version. A view read
 * inside a transaction is kept only once that transaction commits: what a rolled-back change made
 * is never kept.
 * @example (await loadOrgView(ctx)).managerOf(userId)
 */
export async function loadOrgView(ctx: Pick<Ctx, 'db'>, version?: number): Promise<OrgView> {
  const database = ctx.db.database
  const known = held.get(database)
  const now = version ?? (await readOrgVersion(ctx))
  if (known && known.version === now) return known.view
  const fresh = await readOrganisation(ctx)
  ctx.db.afterCommit(() => {
    const kept = held.get(database)
    if (!kept || kept.version < fresh.version) held.set(database, fresh)
  })
  return fresh.view
}

const parsed = <T>(value: unknown): T[] =>
  (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T[]

/** The whole organisation with its version, in one statement. */
async function readOrganisation(ctx: Pick<Ctx, 'db'>): Promise<HeldOrg> {
  const [row] = await ctx.db.query<{
    version: number | string
    users: unknown
    heads: unknown
    away: unknown
  }>(sql`
    select v.version,
      (select json_agg(json_build_object('id', u.id::text, 'username', u.username,
          'manager_id', u.manager_id::text, 'department_id', u.department_id::text,
          'is_admin', u.is_admin,
          'roles', array(select r.role_id from user_roles r where r.user_id = u.id)))
        from users u where not u.disabled) as users,
      (select json_agg(json_build_object('id', d.id::text, 'head', d.head_user_id::text))
        from departments d where d.head_user_id is not null) as heads,
      (select json_agg(json_build_object('user_id', a.user_id::text,
          'substitute_id', a.substitute_id::text, 'starts_at', a.starts_at, 'ends_at', a.ends_at))
        from out_of_office a) as away
    from org_version v where v.id = 1`)
  return {
    version: Number(row?.version ?? 0),
    view: buildOrgView(
      parsed<UserRow>(row?.users),
      parsed<{ id: string; head: string | null }>(row?.heads),
      parsed<AwayRow>(row?.away),
    ),
  }
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
    usernameOf: (user) => byId.get(user)?.username ?? null,
    rolesOf: (user) => [...(byId.get(user)?.roles ?? [])],
    substituteOf(user, at) {
      const a = absences.get(user)
      if (!a || +new Date(a.starts_at) > +at || +new Date(a.ends_at) <= +at) return null
      return active(a.substitute_id)
    },
    admins: () => users.filter((u) => u.is_admin).map((u) => u.id),
    isActive: (user) => byId.has(user),
  }
}
