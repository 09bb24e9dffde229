import { api, unwrap } from './client'

/** A colleague any signed-in user may pick (for sharing, transfer). */
export interface DirectoryUser {
  id: string
  displayName: string
  username: string
  departmentId: string | null
}

/** A department any signed-in user may pick. */
export interface DirectoryDepartment {
  id: string
  name: string
  parentId: string | null
  kind: 'company' | 'department'
}

const list = <T>(payload: unknown): T[] => {
  const data = unwrap<unknown>(payload)
  return Array.isArray(data) ? (data as T[]) : []
}

/** Users whose name or username matches `q`. */
export async function searchUsers(q: string, limit = 20): Promise<DirectoryUser[]> {
  return list<DirectoryUser>(await api('/api/directory/users', { query: { q, limit } }))
}

/** The users with these ids (disabled ones too), to show their names; at most 200 ids. */
export async function directoryUsersByIds(ids: string[]): Promise<DirectoryUser[]> {
  if (!ids.length) return []
  return list<DirectoryUser>(await api('/api/directory/users', { query: { ids: ids.join(',') } }))
}

/** Every department. */
export async function directoryDepartments(): Promise<DirectoryDepartment[]> {
  return list<DirectoryDepartment>(await api('/api/directory/departments'))
}
