import { sql } from 'drizzle-orm'
import { systemClock } from '../../runtime/clock'
import { silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import type { MetadataSet } from '../../runtime/registry'

/**
 * A runtime context acting as an existing user with the given roles (default: none for an
 * administrator, else `fallback`), locale en, no department.
 * @example const clerk = await userCtx(db, meta, 'clerk', undefined, ['clerk'])
 */
export async function userCtx(
  db: Db,
  meta: MetadataSet,
  username: string,
  roles?: string[],
  fallback: string[] = [],
): Promise<Ctx> {
  const [row] = await db.query<{ id: string; is_admin: boolean }>(
    sql`select id::text as id, is_admin from users where username = ${username}`,
  )
  const user: CurrentUser = {
    id: row.id,
    username,
    displayName: username,
    locale: 'en',
    isAdmin: row.is_admin,
    roles: roles ?? (row.is_admin ? [] : fallback),
    departmentId: null,
    managerId: null,
    attributes: {},
  }
  return { db, user, clock: systemClock, log: silentLogger, meta }
}
