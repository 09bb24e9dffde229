import type { AdminUser, Department } from '$lib/api/admin'

/** A department with its sub-departments and the users directly in it. */
export interface OrgNode {
  department: Department
  children: OrgNode[]
  users: AdminUser[]
}

const byOrder = (a: Department, b: Department) =>
  (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name)

/**
 * Nests departments under their parents (roots: no parent, or a parent not in the list) and puts
 * each user under their department. Users without a known department are answered apart.
 */
export function buildOrgTree(
  departments: Department[],
  users: AdminUser[],
): { roots: OrgNode[]; unassigned: AdminUser[] } {
  const nodes = new Map<string, OrgNode>(
    [...departments].sort(byOrder).map((d) => [d.id, { department: d, children: [], users: [] }]),
  )
  const roots: OrgNode[] = []
  for (const node of nodes.values()) {
    const parent = node.department.parentId ? nodes.get(node.department.parentId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const unassigned: AdminUser[] = []
  const sortedUsers = [...users].sort((a, b) => a.displayName.localeCompare(b.displayName))
  for (const user of sortedUsers) {
    const node = user.departmentId ? nodes.get(user.departmentId) : undefined
    if (node) node.users.push(user)
    else unassigned.push(user)
  }
  return { roots, unassigned }
}

/** Whether `candidate` is `id` itself or lies below it (a department cannot move there). */
export function isSelfOrDescendant(
  departments: Department[],
  id: string,
  candidate: string,
): boolean {
  const parentOf = new Map(departments.map((d) => [d.id, d.parentId]))
  const seen = new Set<string>()
  for (let at: string | null | undefined = candidate; at; at = parentOf.get(at)) {
    if (at === id) return true
    if (seen.has(at)) return false
    seen.add(at)
  }
  return false
}

/** A department's name prefixed by its ancestors ("Co / Sales / Sales East"), for selects. */
export function departmentPath(
  departments: Pick<Department, 'id' | 'name' | 'parentId'>[],
  id: string,
): string {
  const byId = new Map(departments.map((d) => [d.id, d]))
  const names: string[] = []
  const seen = new Set<string>()
  for (let at = byId.get(id); at && !seen.has(at.id); at = byId.get(at.parentId ?? '')) {
    seen.add(at.id)
    names.unshift(at.name)
  }
  return names.join(' / ')
}

/** What a drag carries: a user or a department id (set as `text/plain` `kind:id`). */
export type DragItem = { kind: 'user' | 'department'; id: string }

/** Encodes a drag item for `DataTransfer`. */
export function encodeDrag(item: DragItem): string {
  return `${item.kind}:${item.id}`
}

/** Decodes a drag item, or null for anything else dropped on the tree. */
export function decodeDrag(text: string): DragItem | null {
  const match = /^(user|department):([\w-]+)$/.exec(text)
  return match ? { kind: match[1] as DragItem['kind'], id: match[2] } : null
}
