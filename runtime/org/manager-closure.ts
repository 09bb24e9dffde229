import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/** Serialises manager-chain changes (cycle check + closure update); readers are not blocked. */
export async function lockManagerChain(tx: Db): Promise<void> {
  await tx.query(sql`lock table manager_closure in exclusive mode`)
}

/** True when `candidateId` is `userId` or reports to them, directly or not. */
export async function isInReportingLine(
  tx: Db,
  userId: string,
  candidateId: string,
): Promise<boolean> {
  if (userId === candidateId) return true
  const rows = await tx.query(sql`
    select 1 from manager_closure
    where manager_id = ${userId}::uuid and report_id = ${candidateId}::uuid`)
  return rows.length > 0
}

/**
 * Re-links a user and everyone below them under `managerId`: the links from the user's old
 * managers to the whole subtree go, the links from the new manager and their managers come.
 */
export async function relinkManager(
  tx: Db,
  userId: string,
  managerId: string | null,
): Promise<void> {
  await tx.query(sql`
    delete from manager_closure
    where report_id in (
        select report_id from manager_closure where manager_id = ${userId}::uuid
        union all select ${userId}::uuid)
      and manager_id in (select manager_id from manager_closure where report_id = ${userId}::uuid)`)
  if (!managerId) return
  await tx.query(sql`
    insert into manager_closure (manager_id, report_id, depth)
    select up.manager_id, down.report_id, up.depth + down.depth + 1
    from (
      select manager_id, depth from manager_closure where report_id = ${managerId}::uuid
      union all select ${managerId}::uuid, 0
    ) up cross join (
      select report_id, depth from manager_closure where manager_id = ${userId}::uuid
      union all select ${userId}::uuid, 0
    ) down`)
}
