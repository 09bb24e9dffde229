import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { containsPattern, isUuid } from './input-checks'

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

/** How many ids one name lookup may ask for. */
const DIRECTORY_MAX_IDS = 200

/**
 * Enabled users matching `q` (username or display name), by name; at most `limit` (default 50, at
 * most 500). With `ids`, exactly those users, disabled ones included: a record may still name a
 * colleague who has left, and pickers show their name rather than an id.
 * @example await listDirectoryUsers(ctx, { ids: [record.owner] })
 */
export async function listDirectoryUsers(
  ctx: Pick<Ctx, 'db'>,
  options: { q?: string; limit?: number; ids?: string[] } = {},
): Promise<DirectoryUser[]> {
  const ids = options.ids ? checkIds(options.ids) : null
  const pattern = options.q ? containsPattern(options.q) : null
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500)
  const matches = ids
    ? sql`u.id in (select e::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) e)`
    : sql`not u.disabled and (${pattern}::text is null or lower(u.username) like ${pattern}
        or lower(u.display_name) like ${pattern})`
  const rows = await ctx.db.query<Record<string, string | null>>(sql`
    select u.id, u.display_name, u.username, u.department_id from users u where ${matches}
    order by lower(u.display_name), u.id limit ${ids ? DIRECTORY_MAX_IDS : limit}`)
  return rows.map((r) => ({
    id: r.id as string,
    displayName: r.display_name as string,
    username: r.username as string,
    departmentId: r.department_id,
  }))
}

/** The distinct ids asked for, or 400 naming `ids` (not uuids, or too many). */
function checkIds(ids: string[]): string[] {
  const bad = ids.filter((id) => !isUuid(id))
  if (bad.length || ids.length > DIRECTORY_MAX_IDS) {
    const message = bad.length
      ? `not user ids: ${bad.slice(0, 3).join(', ')}`
      : `at most ${DIRECTORY_MAX_IDS} ids`
    throw new BadRequestError('Invalid ids', [{ path: 'ids', message }])
  }
  return [...new Set(ids.map((id) => id.toLowerCase()))]
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
