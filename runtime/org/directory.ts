import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { containsPattern } from './input-checks'

/** What any signed-in user may know about a colleague (pickers, owner names). */
export interface DirectoryUser {
  id: string
  displayName: string
  username: string
  departmentId: string | null
}

/** What any signed-in user may know about a department. */
export interface DirectoryDepartment {
  id: string
  name: string
  parentId: string | null
  kind: string
}

/** Enabled users matching `q`, by name; at most `limit` (default 50, at most 500). */
export async function listDirectoryUsers(
  ctx: Pick<Ctx, 'db'>,
  options: { q?: string; limit?: number } = {},
): Promise<DirectoryUser[]> {
  const pattern = options.q ? containsPattern(options.q) : null
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500)
  const rows = await ctx.db.query<Record<string, string | null>>(sql`
    select u.id, u.display_name, u.username, u.department_id from users u
    where not u.disabled and (${pattern}::text is null or lower(u.username) like ${pattern}
      or lower(u.display_name) like ${pattern})
    order by lower(u.display_name), u.id limit ${limit}`)
  return rows.map((r) => ({
    id: r.id as string,
    displayName: r.display_name as string,
    username: r.username as string,
    departmentId: r.department_id,
  }))
}

/** Every department with its parent, by sort order and name. */
export async function listDirectoryDepartments(
  ctx: Pick<Ctx, 'db'>,
): Promise<DirectoryDepartment[]> {
  const rows = await ctx.db.query<Record<string, string | null>>(sql`
    select id, name, parent_id, kind from departments order by sort_order, name, id`)
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    parentId: r.parent_id,
    kind: r.kind as string,
  }))
}
