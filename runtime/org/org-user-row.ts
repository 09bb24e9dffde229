import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { NotFoundError } from '../errors'
import { isUuid } from './input-checks'

/** A user as the admin API shows it (never the password hash). */
export interface OrgUser {
  id: string
  username: string
  displayName: string
  email: string | null
  locale: string
  isAdmin: boolean
  disabled: boolean
  departmentId: string | null
  managerId: string | null
  positionId: string | null
  roles: string[]
  attributes: Record<string, unknown>
}

/** The select list behind `OrgUser`, over `users u`. */
export const ORG_USER_COLUMNS = sql`u.id, u.username, u.display_name, u.email, u.locale, u.is_admin,
  u.disabled, u.department_id, u.manager_id, u.position_id, u.attributes,
  array(select r.role_id from user_roles r where r.user_id = u.id order by r.role_id) as roles`

/** Maps a row selected with ORG_USER_COLUMNS. */
export function toOrgUser(row: Record<string, unknown>): OrgUser {
  const attrs = typeof row.attributes === 'string' ? JSON.parse(row.attributes) : row.attributes
  return {
    id: row.id as string,
    username: row.username as string,
    displayName: row.display_name as string,
    email: (row.email as string | null) ?? null,
    locale: row.locale as string,
    isAdmin: row.is_admin as boolean,
    disabled: row.disabled as boolean,
    departmentId: (row.department_id as string | null) ?? null,
    managerId: (row.manager_id as string | null) ?? null,
    positionId: (row.position_id as string | null) ?? null,
    roles: (row.roles as string[] | null) ?? [],
    attributes: (attrs as Record<string, unknown>) ?? {},
  }
}

/** One user by id, or 404. */
export async function requireOrgUser(db: Db, id: string): Promise<OrgUser> {
  const rows = isUuid(id)
    ? await db.query<Record<string, unknown>>(
        sql`select ${ORG_USER_COLUMNS} from users u where u.id = ${id}::uuid`,
      )
    : []
  if (!rows[0])
    throw new NotFoundError('No such user', [{ path: 'id', message: 'no user with this id' }])
  return toOrgUser(rows[0])
}
