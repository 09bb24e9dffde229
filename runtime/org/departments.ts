import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Db } from '../db'
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../errors'
import { assertOrgAdmin } from './assert-org-admin'
import {
  isInDepartmentSubtree,
  linkNewDepartment,
  lockDepartmentTree,
  relinkDepartment,
  unlinkDepartment,
} from './department-closure'
import { checkKnownKeys, checkName, checkOptionalId, isUuid } from './input-checks'

/** A company or department as the API shows it. */
export interface Department {
  id: string
  name: string
  kind: 'company' | 'department'
  parentId: string | null
  headUserId: string | null
  sortOrder: number
}

export interface NewDepartment {
  name: string
  kind?: 'company' | 'department'
  parentId?: string | null
  headUserId?: string | null
  sortOrder?: number
}

export type DepartmentPatch = Partial<Omit<NewDepartment, 'kind'>>

const KINDS = ['company', 'department']
const COLUMNS = sql`id, name, kind, parent_id, head_user_id, sort_order`

/** Every department, parents before their children where sort order allows. */
export async function listDepartments(ctx: Pick<Ctx, 'db'>): Promise<Department[]> {
  const rows = await ctx.db.query<DepartmentRow>(
    sql`select ${COLUMNS} from departments order by sort_order, name, id`,
  )
  return rows.map(toDepartment)
}

/**
 * Creates a department (or company) under `parentId`; its closure links in the same transaction.
 * @example await createDepartment(ctx, { name: 'Sales East', parentId: sales.id })
 */
export async function createDepartment(ctx: Ctx, input: NewDepartment): Promise<Department> {
  assertOrgAdmin(ctx)
  const value = (input ?? {}) as unknown as Record<string, unknown>
  const issues: Issue[] = []
  checkKnownKeys(value, ['name', 'kind', 'parentId', 'headUserId', 'sortOrder'], issues)
  const name = checkName(value.name, 'name', issues)
  const kind = value.kind ?? 'department'
  if (!KINDS.includes(kind as string))
    issues.push({ path: 'kind', message: 'company or department' })
  const parentId = checkOptionalId(value.parentId, 'parentId', issues)
  const headUserId = checkOptionalId(value.headUserId, 'headUserId', issues)
  const sortOrder = checkSortOrder(value.sortOrder, issues) ?? 0
  if (issues.length) throw new ValidationError('Invalid department', issues)
  return ctx.db.transaction(async (tx) => {
    await lockDepartmentTree(tx)
    await assertReferencesExist(tx, { parentId, headUserId })
    const [row] = await tx.query<DepartmentRow>(sql`
      insert into departments (name, kind, parent_id, head_user_id, sort_order)
      values (${name}, ${kind as string}, ${parentId}::uuid, ${headUserId}::uuid, ${sortOrder})
      returning ${COLUMNS}`)
    await linkNewDepartment(tx, row.id, parentId)
    return toDepartment(row)
  })
}

/** Renames, moves (refusing a move under its own subtree: 422 `parentId`), sets head or order. */
export async function updateDepartment(
  ctx: Ctx,
  id: string,
  patch: DepartmentPatch,
): Promise<Department> {
  assertOrgAdmin(ctx)
  const value = (patch ?? {}) as Record<string, unknown>
  const issues: Issue[] = []
  checkKnownKeys(value, ['name', 'parentId', 'headUserId', 'sortOrder'], issues)
  const name = 'name' in value ? checkName(value.name, 'name', issues) : undefined
  const parentId =
    'parentId' in value ? checkOptionalId(value.parentId, 'parentId', issues) : undefined
  const headUserId =
    'headUserId' in value ? checkOptionalId(value.headUserId, 'headUserId', issues) : undefined
  const sortOrder = checkSortOrder(value.sortOrder, issues)
  if (issues.length) throw new ValidationError('Invalid department', issues)
  return ctx.db.transaction(async (tx) => {
    await lockDepartmentTree(tx)
    const current = await requireDepartment(tx, id)
    await assertReferencesExist(tx, { parentId: parentId ?? null, headUserId: headUserId ?? null })
    const moves = parentId !== undefined && parentId !== current.parentId
    if (moves && parentId && (await isInDepartmentSubtree(tx, id, parentId))) {
      throw new ValidationError('A department cannot move under itself', [
        { path: 'parentId', message: 'is this department or one below it' },
      ])
    }
    const [row] = await tx.query<DepartmentRow>(sql`
      update departments set
        name = coalesce(${name ?? null}::text, name),
        parent_id = case when ${parentId !== undefined}::boolean then ${parentId ?? null}::uuid else parent_id end,
        head_user_id = case when ${headUserId !== undefined}::boolean then ${headUserId ?? null}::uuid
          else head_user_id end,
        sort_order = coalesce(${sortOrder ?? null}::int, sort_order)
      where id = ${id}::uuid returning ${COLUMNS}`)
    if (moves) await relinkDepartment(tx, id, parentId ?? null)
    return toDepartment(row)
  })
}

/** Deletes an empty department; 409 while users or sub-departments remain in it. */
export async function deleteDepartment(ctx: Ctx, id: string): Promise<void> {
  assertOrgAdmin(ctx)
  await ctx.db.transaction(async (tx) => {
    await lockDepartmentTree(tx)
    await requireDepartment(tx, id)
    // A user or position written into it meanwhile waits for this lock, then fails on its key
    // (a 422); one that got in first is counted below (a 409).
    await tx.query(sql`select id from departments where id = ${id}::uuid for update`)
    const [counts] = await tx.query<{ users: number; children: number }>(sql`
      select (select count(*)::int from users where department_id = ${id}::uuid) as users,
        (select count(*)::int from departments where parent_id = ${id}::uuid) as children`)
    const issues: Issue[] = []
    if (counts.users > 0)
      issues.push({ path: 'users', message: `${counts.users} user(s) still in it` })
    if (counts.children > 0) {
      issues.push({ path: 'departments', message: `${counts.children} sub-department(s)` })
    }
    if (issues.length) {
      // The counts travel as numbers too, so a screen can say it in the reader's language.
      const extra = { users: counts.users, departments: counts.children }
      throw new ConflictError('The department is not empty', issues, extra)
    }
    await tx.query(sql`update positions set department_id = null where department_id = ${id}::uuid`)
    await unlinkDepartment(tx, id)
    await tx.query(sql`delete from departments where id = ${id}::uuid`)
  })
}

interface DepartmentRow {
  id: string
  name: string
  kind: string
  parent_id: string | null
  head_user_id: string | null
  sort_order: number
}

function toDepartment(row: DepartmentRow): Department {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'company' ? 'company' : 'department',
    parentId: row.parent_id,
    headUserId: row.head_user_id,
    sortOrder: row.sort_order,
  }
}

async function requireDepartment(tx: Db, id: string): Promise<Department> {
  const rows = isUuid(id)
    ? await tx.query<DepartmentRow>(sql`select ${COLUMNS} from departments where id = ${id}::uuid`)
    : []
  if (!rows[0]) {
    throw new NotFoundError('No such department', [
      { path: 'id', message: 'no department with this id' },
    ])
  }
  return toDepartment(rows[0])
}

function checkSortOrder(value: unknown, issues: Issue[]): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isSafeInteger(value) || Math.abs(value as number) > 1_000_000_000) {
    issues.push({ path: 'sortOrder', message: 'must be an integer' })
    return undefined
  }
  return value as number
}

/** 422 naming `parentId` / `headUserId` when they point at nothing. */
async function assertReferencesExist(
  tx: Db,
  refs: { parentId: string | null; headUserId: string | null },
): Promise<void> {
  const [row] = await tx.query<{ parent: boolean; head: boolean }>(sql`
    select exists (select 1 from departments where id = ${refs.parentId}::uuid) as parent,
      exists (select 1 from users where id = ${refs.headUserId}::uuid) as head`)
  const issues: Issue[] = []
  if (refs.parentId && !row.parent) issues.push({ path: 'parentId', message: 'no such department' })
  if (refs.headUserId && !row.head) issues.push({ path: 'headUserId', message: 'no such user' })
  if (issues.length) throw new ValidationError('Unknown reference', issues)
}
