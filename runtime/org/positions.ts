import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ValidationError, type Issue } from '../errors'
import { assertOrgAdmin } from './assert-org-admin'
import { checkKnownKeys, checkName, checkOptionalId } from './input-checks'

/** A job position, optionally tied to a department. */
export interface Position {
  id: string
  name: string
  departmentId: string | null
}

/** Every position, by name. */
export async function listPositions(ctx: Pick<Ctx, 'db'>): Promise<Position[]> {
  const rows = await ctx.db.query<{ id: string; name: string; department_id: string | null }>(
    sql`select id, name, department_id from positions order by name, id`,
  )
  return rows.map((r) => ({ id: r.id, name: r.name, departmentId: r.department_id }))
}

/** Creates a position; 422 naming `name` or an unknown `departmentId`. */
export async function createPosition(
  ctx: Ctx,
  input: { name: string; departmentId?: string | null },
): Promise<Position> {
  assertOrgAdmin(ctx)
  const value = (input ?? {}) as Record<string, unknown>
  const issues: Issue[] = []
  checkKnownKeys(value, ['name', 'departmentId'], issues)
  const name = checkName(value.name, 'name', issues)
  const departmentId = checkOptionalId(value.departmentId, 'departmentId', issues)
  if (issues.length) throw new ValidationError('Invalid position', issues)
  const rows = await ctx.db.query<{ id: string }>(sql`
    insert into positions (name, department_id)
    select ${name}, ${departmentId}::uuid
    where ${departmentId}::uuid is null or exists (select 1 from departments where id = ${departmentId}::uuid)
    returning id`)
  if (!rows[0]) {
    throw new ValidationError('Invalid position', [
      { path: 'departmentId', message: 'no such department' },
    ])
  }
  return { id: rows[0].id, name, departmentId }
}
