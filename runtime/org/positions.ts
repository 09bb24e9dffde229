import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../errors'
import { assertOrgAdmin } from './assert-org-admin'
import { checkKnownKeys, checkName, checkOptionalId, isUuid } from './input-checks'

/** A job position, optionally tied to a department. */
export interface Position {
  id: string
  name: string
  departmentId: string | null
}

const COLUMNS = sql`id, name, department_id`

/** A position in the list, with how many users hold it (however many users there are). */
export interface ListedPosition extends Position {
  holders: number
}

/** Every position, by name, with its number of holders (counted on users' position index). */
export async function listPositions(ctx: Pick<Ctx, 'db'>): Promise<ListedPosition[]> {
  const rows = await ctx.db.query<PositionRow & { holders: number }>(
    sql`select p.id, p.name, p.department_id,
      (select count(*)::int from users u where u.position_id = p.id) as holders
    from positions p order by p.name, p.id`,
  )
  return rows.map((row) => ({ ...toPosition(row), holders: row.holders }))
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
  const rows = await ctx.db
    .query<{ id: string }>(
      sql`insert into positions (name, department_id)
      select ${name}, ${departmentId}::uuid
      where ${departmentId}::uuid is null or exists (select 1 from departments where id = ${departmentId}::uuid)
      returning id`,
    )
    .catch(toNoSuchDepartment)
  if (!rows[0]) throw noSuchDepartment()
  return { id: rows[0].id, name, departmentId }
}

/** Renames a position or ties it to another department (or none); 404, or 422 naming the field. */
export async function updatePosition(
  ctx: Ctx,
  id: string,
  patch: { name?: string; departmentId?: string | null },
): Promise<Position> {
  assertOrgAdmin(ctx)
  const value = (patch ?? {}) as Record<string, unknown>
  const issues: Issue[] = []
  checkKnownKeys(value, ['name', 'departmentId'], issues)
  const name = 'name' in value ? checkName(value.name, 'name', issues) : null
  const setsDepartment = 'departmentId' in value
  const departmentId = checkOptionalId(value.departmentId, 'departmentId', issues)
  if (issues.length) throw new ValidationError('Invalid position', issues)
  const rows = isUuid(id)
    ? await ctx.db
        .query<PositionRow>(
          sql`
        with known as (
          select ${departmentId}::uuid is null
            or exists (select 1 from departments where id = ${departmentId}::uuid) as ok)
        update positions set
          name = coalesce(${name}::text, name),
          department_id = case when ${setsDepartment}::boolean then ${departmentId}::uuid
            else department_id end
        where id = ${id}::uuid and (select ok from known)
        returning ${COLUMNS}`,
        )
        .catch(toNoSuchDepartment)
    : []
  if (rows[0]) return toPosition(rows[0])
  await requirePosition(ctx, id)
  throw noSuchDepartment()
}

const noSuchDepartment = () =>
  new ValidationError('Invalid position', [{ path: 'departmentId', message: 'no such department' }])

/** The department was deleted between the check and the write: its key refuses, the same 422. */
function toNoSuchDepartment(err: { code?: string }): never {
  throw err?.code === '23503' ? noSuchDepartment() : err
}

/** Deletes a position nobody holds; 409 naming `users` while someone still holds it, 404 if none. */
export async function deletePosition(ctx: Ctx, id: string): Promise<void> {
  assertOrgAdmin(ctx)
  await requirePosition(ctx, id)
  const deleted = await ctx.db
    .query<{ id: string }>(
      sql`delete from positions where id = ${id}::uuid
        and not exists (select 1 from users where position_id = ${id}::uuid)
      returning id`,
    )
    .catch((err: { code?: string }) => {
      // Given to someone at this very moment: the key refuses, the answer is the same 409.
      if (err?.code === '23503') return []
      throw err
    })
  if (deleted[0]) return
  const [row] = await ctx.db.query<{ holders: number }>(
    sql`select count(*)::int as holders from users where position_id = ${id}::uuid`,
  )
  throw new ConflictError(
    'The position is still held',
    [{ path: 'users', message: `${row.holders} user(s) hold this position` }],
    { users: row.holders },
  )
}

interface PositionRow {
  id: string
  name: string
  department_id: string | null
}

function toPosition(row: PositionRow): Position {
  return { id: row.id, name: row.name, departmentId: row.department_id }
}

async function requirePosition(ctx: Pick<Ctx, 'db'>, id: string): Promise<void> {
  const rows = isUuid(id)
    ? await ctx.db.query<{ id: string }>(sql`select id from positions where id = ${id}::uuid`)
    : []
  if (!rows[0]) {
    throw new NotFoundError('No such position', [
      { path: 'id', message: 'no position with this id' },
    ])
  }
}
