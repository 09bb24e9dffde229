import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/**
 * Serialises changes of the department tree: cycle checks and closure updates of two concurrent
 * moves cannot interleave. Readers (ACCESS SHARE) are not blocked.
 */
export async function lockDepartmentTree(tx: Db): Promise<void> {
  await tx.query(sql`lock table department_closure in exclusive mode`)
}

/** Links a new department: itself at depth 0 and every ancestor of its parent one level deeper. */
export async function linkNewDepartment(
  tx: Db,
  id: string,
  parentId: string | null,
): Promise<void> {
  await tx.query(sql`
    insert into department_closure (ancestor_id, descendant_id, depth)
    select ${id}::uuid, ${id}::uuid, 0
    union all
    select ancestor_id, ${id}::uuid, depth + 1 from department_closure
    where descendant_id = ${parentId}::uuid`)
}

/** True when `candidateId` is `id` itself or lies below it (moving `id` there makes a cycle). */
export async function isInDepartmentSubtree(
  tx: Db,
  id: string,
  candidateId: string,
): Promise<boolean> {
  const rows = await tx.query(sql`
    select 1 from department_closure
    where ancestor_id = ${id}::uuid and descendant_id = ${candidateId}::uuid`)
  return rows.length > 0
}

/**
 * Moves a department's subtree under `parentId`: drops the links from its old ancestors to every
 * node of the subtree, then links every ancestor of the new parent to every node. Set-based.
 */
export async function relinkDepartment(tx: Db, id: string, parentId: string | null): Promise<void> {
  await tx.query(sql`
    delete from department_closure
    where descendant_id in (select descendant_id from department_closure where ancestor_id = ${id}::uuid)
      and ancestor_id in (
        select ancestor_id from department_closure
        where descendant_id = ${id}::uuid and ancestor_id <> ${id}::uuid)`)
  if (!parentId) return
  await tx.query(sql`
    insert into department_closure (ancestor_id, descendant_id, depth)
    select up.ancestor_id, down.descendant_id, up.depth + down.depth + 1
    from department_closure up cross join department_closure down
    where up.descendant_id = ${parentId}::uuid and down.ancestor_id = ${id}::uuid`)
}

/** Removes a (leaf) department from the closure. */
export async function unlinkDepartment(tx: Db, id: string): Promise<void> {
  await tx.query(sql`delete from department_closure where descendant_id = ${id}::uuid`)
}
