import type { Department } from '$lib/api/admin'
import type { DragItem } from './org-tree'

/** What the organisation tree's rows can ask the page to do. */
export interface OrgActions {
  departments: Department[]
  /** Department options by path, for the "move to" selects. */
  departmentOptions: { id: string; path: string }[]
  drop: (item: DragItem, departmentId: string) => void
  moveUser: (userId: string, departmentId: string | null) => void
  moveDepartment: (departmentId: string, parentId: string | null) => void
  setManager: (userId: string, managerId: string | null) => void
  /** Deletes an empty department; a non-empty one is refused by the server (409). */
  deleteDepartment: (department: Department) => void
}
