import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'

/** A user as the approval screens show them. */
export interface UserRef {
  id: string
  name: string
}

/** Display names by user id (one query; unknown ids are left out). */
export async function userNames(
  ctx: Pick<Ctx, 'db'>,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id): id is string => !!id))]
  if (!unique.length) return new Map()
  const rows = await ctx.db.query<{ id: string; display_name: string }>(sql`
    select id::text as id, display_name from users
    where id in (${sql.join(
      unique.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`)
  return new Map(rows.map((r) => [r.id, r.display_name]))
}

/** `{ id, name }` of a user id (null stays null; an unknown id gets an empty name). */
export function toUserRef(
  names: Map<string, string>,
  id: string | null | undefined,
): UserRef | null {
  return id ? { id, name: names.get(id) ?? '' } : null
}
