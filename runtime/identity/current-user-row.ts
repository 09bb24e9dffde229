import { sql, type SQL } from 'drizzle-orm'
import type { CurrentUser } from '../context'

/** A users row as the identity queries select it (`currentUserColumns`). */
export interface CurrentUserRow {
  id: string
  username: string
  display_name: string
  locale: string
  is_admin: boolean
  department_id?: string | null
  manager_id?: string | null
  attributes?: Record<string, unknown> | string | null
  roles?: string[] | null
  shared_entities?: string[] | null
}

/**
 * The select list that loads a caller from `users u` in the same query, roles and the entities
 * shared with them included: sub-selects over indexes keep session resolution one round trip.
 * Expiry is not looked at here: the scope's shares branch checks it at every read.
 */
export const currentUserColumns: SQL = sql`u.id, u.username, u.display_name, u.locale,
  u.is_admin, u.department_id, u.manager_id, u.attributes,
  array(select r.role_id from user_roles r where r.user_id = u.id order by r.role_id) as roles,
  array(select s.entity from record_shares s where s.user_id = u.id
    union select s.entity from record_shares s where s.department_id = u.department_id
    order by 1) as shared_entities`

/** Maps a selected users row to the runtime's caller. */
export function toCurrentUser(row: CurrentUserRow): CurrentUser {
  const user: CurrentUser = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    locale: row.locale,
    isAdmin: row.is_admin,
  }
  if (row.roles !== undefined) {
    user.departmentId = row.department_id ?? null
    user.managerId = row.manager_id ?? null
    user.roles = row.roles ?? []
    user.attributes = toAttributes(row.attributes)
  }
  if (row.shared_entities) user.sharedEntities = row.shared_entities
  return user
}

function toAttributes(value: CurrentUserRow['attributes']): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {}
}
