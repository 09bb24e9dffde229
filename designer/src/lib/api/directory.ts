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

/** Every department. */
export async function directoryDepartments(): Promise<DirectoryDepartment[]> {
  return list<DirectoryDepartment>(await api('/api/directory/departments'))
}
