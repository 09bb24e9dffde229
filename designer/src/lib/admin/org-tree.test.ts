import { describe, expect, it } from 'vitest'
import type { AdminUser, Department } from '$lib/api/admin'
import {
  buildOrgTree,
  decodeDrag,
  departmentPath,
  encodeDrag,
  isSelfOrDescendant,
} from './org-tree'

const dept = (id: string, parentId: string | null, name = id): Department => ({
  id,
  name,
  kind: parentId ? 'department' : 'company',
  parentId,
})
const user = (id: string, departmentId: string | null): AdminUser => ({
  id,
  username: id,
  displayName: id,
  isAdmin: false,
  disabled: false,
  departmentId,
  managerId: null,
  roles: [],
})

const departments = [dept('co', null), dept('sales', 'co'), dept('east', 'sales'), dept('hr', 'co')]

describe('the organisation tree', () => {
  it('nests departments under their parents and users under their department', () => {
    const { roots, unassigned } = buildOrgTree(departments, [
      user('rep', 'east'),
      user('boss', 'co'),
      user('lost', null),
    ])
    expect(roots.map((n) => n.department.id)).toEqual(['co'])
    expect(roots[0].users.map((u) => u.id)).toEqual(['boss'])
    expect(roots[0].children.map((n) => n.department.id)).toEqual(['hr', 'sales'])
    expect(roots[0].children[1].children[0].users.map((u) => u.id)).toEqual(['rep'])
    expect(unassigned.map((u) => u.id)).toEqual(['lost'])
  })

  it('knows a department cannot move under itself or its descendants', () => {
    expect(isSelfOrDescendant(departments, 'sales', 'east')).toBe(true)
    expect(isSelfOrDescendant(departments, 'sales', 'sales')).toBe(true)
    expect(isSelfOrDescendant(departments, 'sales', 'hr')).toBe(false)
  })

  it('names a department by its path', () => {
    expect(departmentPath(departments, 'east')).toBe('co / sales / east')
  })

  it('round-trips drag payloads and ignores foreign ones', () => {
    expect(decodeDrag(encodeDrag({ kind: 'user', id: 'a-1' }))).toEqual({ kind: 'user', id: 'a-1' })
    expect(decodeDrag('https://example.com')).toBeNull()
  })
})
