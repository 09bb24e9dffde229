import type { Role } from '$metadata/role'
import { api, unwrap } from './client'

/** A user as the admin API lists it. */
export interface AdminUser {
  id: string
  username: string
  displayName: string
  email?: string | null
  locale?: string
  isAdmin: boolean
  disabled: boolean
  departmentId: string | null
  managerId: string | null
  positionId?: string | null
  roles: string[]
  attributes?: Record<string, unknown>
}

/** A company or department of the organisation tree. */
export interface Department {
  id: string
  name: string
  kind: 'company' | 'department'
  parentId: string | null
  headUserId?: string | null
  sortOrder?: number
}

/** What an admin may set on a new user. */
export interface NewUser {
  username: string
  password: string
  displayName: string
  email?: string
  departmentId?: string | null
  managerId?: string | null
  positionId?: string | null
  roles?: string[]
  isAdmin?: boolean
}

/** A job position, optionally tied to a department. */
export interface Position {
  id: string
  name: string
  departmentId: string | null
}

/** A position in the list, with how many users hold it. */
export interface ListedPosition extends Position {
  holders: number
}

/** What an admin may change on a user. */
export type UserChanges = Partial<
  Pick<
    AdminUser,
    | 'displayName'
    | 'email'
    | 'departmentId'
    | 'managerId'
    | 'positionId'
    | 'roles'
    | 'disabled'
    | 'isAdmin'
  >
>

const USERS = '/api/admin/users'
const DEPARTMENTS = '/api/admin/departments'
const POSITIONS = '/api/admin/positions'
const list = <T>(payload: unknown): T[] => {
  const data = unwrap<unknown>(payload)
  return Array.isArray(data) ? (data as T[]) : []
}

/** Users matching `q` (username or name), or all; the server answers 200 unless `limit` says more. */
export async function listUsers(q = '', limit?: number): Promise<AdminUser[]> {
  return list<AdminUser>(await api(USERS, { query: { q, limit } }))
}

/** Creates a user; 422 names the offending fields. */
export async function createUser(user: NewUser): Promise<AdminUser> {
  return unwrap<AdminUser>(await api(USERS, { method: 'POST', body: user }))
}

/** Changes a user (department, manager, roles, disabled …). */
export async function updateUser(id: string, changes: UserChanges): Promise<AdminUser> {
  const url = `${USERS}/${encodeURIComponent(id)}`
  return unwrap<AdminUser>(await api(url, { method: 'PATCH', body: changes }))
}

/** Sets a new password (the user's sessions end). */
export async function resetPassword(id: string, password: string): Promise<void> {
  await api(`${USERS}/${encodeURIComponent(id)}/password`, { method: 'POST', body: { password } })
}

/** Every company and department. */
export async function listDepartments(): Promise<Department[]> {
  return list<Department>(await api(DEPARTMENTS))
}

/** Adds a department (or company) under `parentId`. */
export async function createDepartment(
  dept: Pick<Department, 'name'> & Partial<Pick<Department, 'kind' | 'parentId'>>,
): Promise<Department> {
  return unwrap<Department>(await api(DEPARTMENTS, { method: 'POST', body: dept }))
}

/** Renames or moves a department; moving under its own descendant answers 422. */
export async function updateDepartment(
  id: string,
  changes: Partial<Pick<Department, 'name' | 'parentId' | 'headUserId' | 'sortOrder'>>,
): Promise<Department> {
  const url = `${DEPARTMENTS}/${encodeURIComponent(id)}`
  return unwrap<Department>(await api(url, { method: 'PATCH', body: changes }))
}

/** Deletes an empty department; 409 (with `users` and `departments` counts) while it is not. */
export async function deleteDepartment(id: string): Promise<void> {
  await api(`${DEPARTMENTS}/${encodeURIComponent(id)}`, { method: 'DELETE' })
}

/** Every position, by name. */
export async function listPositions(): Promise<ListedPosition[]> {
  return list<ListedPosition>(await api(POSITIONS))
}

/** Adds a position, optionally tied to a department. */
export async function createPosition(
  position: Pick<Position, 'name'> & Partial<Pick<Position, 'departmentId'>>,
): Promise<Position> {
  return unwrap<Position>(await api(POSITIONS, { method: 'POST', body: position }))
}

/** Renames a position or ties it to another department. */
export async function updatePosition(
  id: string,
  changes: Partial<Pick<Position, 'name' | 'departmentId'>>,
): Promise<Position> {
  const url = `${POSITIONS}/${encodeURIComponent(id)}`
  return unwrap<Position>(await api(url, { method: 'PATCH', body: changes }))
}

/** Deletes a position nobody holds; 409 (with a `users` count) while someone does. */
export async function deletePosition(id: string): Promise<void> {
  await api(`${POSITIONS}/${encodeURIComponent(id)}`, { method: 'DELETE' })
}

/** The published roles. */
export async function listRoles(): Promise<Role[]> {
  return list<Role>(await api('/api/admin/roles'))
}
