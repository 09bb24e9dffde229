import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { ChildTable } from './entity-plan'
import type { RecordData } from './record-data'
import { toWriteError } from './write-errors'
import { buildChildInsert, type WriteStamp } from './write-statements'

/**
 * Replaces a parent's rows of one child table (delete, then one multi-row insert) inside the
 * caller's transaction, and returns the new rows as the API shows them, in position order.
 */
export async function replaceChildRows(
  db: Db,
  child: ChildTable,
  stamp: WriteStamp,
  parentId: string,
  rows: RecordData[],
  isNew: boolean,
): Promise<RecordData[]> {
  const plan = child.plan
  if (!isNew) await db.query(sql`delete from ${plan.table} where parent_id = ${parentId}`)
  if (!rows.length) return []
  try {
    const inserted = await db.query(buildChildInsert(plan, stamp, parentId, rows))
    return inserted.sort((a, b) => Number(a.position) - Number(b.position)).map(plan.toRecord)
  } catch (err) {
    throw toWriteError(plan, err, (field, detail) => rowPath(child, rows, field, detail))
  }
}

/**
 * Where a database error about one child column points: `lines[2].product` for the row holding
 * the value the error names (`Key (product)=(…)`), else the child table itself.
 */
function rowPath(child: ChildTable, rows: RecordData[], field: string, detail: string): string {
  const value = /\)=\((.*)\) /.exec(detail)?.[1]
  const i = field && value !== undefined ? rows.findIndex((r) => String(r[field]) === value) : -1
  return i >= 0 ? `${child.field.name}[${i}].${field}` : child.field.name
}
