import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/**
 * Recomputes both closure tables from departments.parent_id and users.manager_id, in one
 * transaction. A safety net (and the reference the incremental updates are tested against);
 * a cycle in the source columns is cut by the depth guard instead of looping.
 */
export async function rebuildClosures(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(sql`lock table department_closure, manager_closure in exclusive mode`)
    await tx.query(sql`delete from department_closure`)
    await tx.query(sql`
      insert into department_closure (ancestor_id, descendant_id, depth)
      with recursive up(ancestor_id, descendant_id, depth) as (
        select id, id, 0 from departments
        union all
        select d.parent_id, up.descendant_id, up.depth + 1
        from up join departments d on d.id = up.ancestor_id
        where d.parent_id is not null and up.depth < 1000
      )
      select ancestor_id, descendant_id, min(depth) from up group by ancestor_id, descendant_id`)
    await tx.query(sql`delete from manager_closure`)
    await tx.query(sql`
      insert into manager_closure (manager_id, report_id, depth)
      with recursive up(manager_id, report_id, depth) as (
        select manager_id, id, 1 from users where manager_id is not null
        union all
        select u.manager_id, up.report_id, up.depth + 1
        from up join users u on u.id = up.manager_id
        where u.manager_id is not null and up.depth < 1000
      )
      select manager_id, report_id, min(depth) from up
      where manager_id <> report_id group by manager_id, report_id`)
  })
}
