import { eq, sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { Db } from '../db'
import { platform } from '../db'
import { ValidationError, type Issue } from '../errors'
import { announceIdentityChange } from '../identity'
import { isInReportingLine, lockManagerChain, relinkManager } from './manager-closure'
import type { OrgUser } from './org-user-row'
import type { UserPatch } from './user-patch'

/**
 * Writes a checked patch inside the caller's transaction: referenced rows must exist (422 naming
 * the field), a manager change keeps the chain acyclic and re-links the manager closure, roles are
 * replaced, a disabled user's sessions end, and every process is told to reload the user.
 */
export async function applyUserPatch(
  tx: Db,
  ctx: Pick<Ctx, 'user'>,
  current: OrgUser,
  patch: UserPatch,
): Promise<void> {
  await assertPatchAllowed(tx, ctx, current, patch)
  const set: Partial<typeof platform.users.$inferInsert> = {}
  for (const key of ['displayName', 'email', 'locale', 'departmentId', 'positionId'] as const) {
    if (patch[key] !== undefined) (set as Record<string, unknown>)[key] = patch[key]
  }
  for (const key of ['disabled', 'isAdmin'] as const) {
    if (patch[key] !== undefined) (set as Record<string, unknown>)[key] = patch[key]
  }
  if (patch.managerId !== undefined && patch.managerId !== current.managerId) {
    await lockManagerChain(tx)
    if (patch.managerId && (await isInReportingLine(tx, current.id, patch.managerId))) {
      throw new ValidationError('The manager chain would loop', [
        { path: 'managerId', message: 'is this user or someone reporting to them' },
      ])
    }
    set.managerId = patch.managerId
    await relinkManager(tx, current.id, patch.managerId)
  }
  if (Object.keys(set).length) {
    await tx.orm
      .update(platform.users)
      .set(set)
      .where(eq(platform.users.id, current.id))
      .catch(toMissingReference)
  }
  if (patch.attributes !== undefined) {
    // Through the sql template: a jsonb parameter is encoded the same way on both drivers.
    await tx.query(sql`
      update users set attributes = ${JSON.stringify(patch.attributes)}::jsonb
      where id = ${current.id}::uuid`)
  }
  if (patch.roles) {
    await tx.query(sql`delete from user_roles where user_id = ${current.id}::uuid`)
    await tx.query(sql`
      insert into user_roles (user_id, role_id)
      select ${current.id}::uuid, r from jsonb_array_elements_text(${JSON.stringify(patch.roles)}::jsonb) r`)
  }
  if (patch.disabled === true) {
    await tx.query(sql`delete from sessions where user_id = ${current.id}::uuid`)
  }
  await announceIdentityChange(tx, { userId: current.id })
}

/** The foreign keys of `users` a patch can trip, by the field they guard. */
const KEY_FIELDS: Record<string, string> = {
  users_department_id_departments_id_fk: 'departmentId',
  users_position_id_positions_id_fk: 'positionId',
}

interface PgError {
  code?: string
  constraint_name?: string
  constraint?: string
  /** drizzle's query builder wraps the driver's error. */
  cause?: PgError
}

/**
 * A department or position deleted between the check below and the update: the key refuses, and
 * the answer is the same 422 the check gives.
 */
function toMissingReference(err: PgError): never {
  const pg = err?.cause ?? err
  const field = KEY_FIELDS[pg?.constraint_name ?? pg?.constraint ?? '']
  if (pg?.code !== '23503' || !field) throw err
  throw new ValidationError('Invalid user', [{ path: field, message: 'no longer exists' }])
}

async function assertPatchAllowed(
  tx: Db,
  ctx: Pick<Ctx, 'user'>,
  current: OrgUser,
  patch: UserPatch,
): Promise<void> {
  const issues: Issue[] = []
  if (ctx.user?.id === current.id) {
    if (patch.disabled === true)
      issues.push({ path: 'disabled', message: 'you cannot disable yourself' })
    if (patch.isAdmin === false && current.isAdmin) {
      issues.push({ path: 'isAdmin', message: 'you cannot remove your own administrator rights' })
    }
  }
  const [row] = await tx.query<{ department: boolean; manager: boolean; position: boolean }>(sql`
    select exists (select 1 from departments where id = ${patch.departmentId ?? null}::uuid) as department,
      exists (select 1 from users where id = ${patch.managerId ?? null}::uuid) as manager,
      exists (select 1 from positions where id = ${patch.positionId ?? null}::uuid) as position`)
  if (patch.departmentId && !row.department) {
    issues.push({ path: 'departmentId', message: 'no such department' })
  }
  if (patch.managerId && !row.manager) issues.push({ path: 'managerId', message: 'no such user' })
  if (patch.positionId && !row.position)
    issues.push({ path: 'positionId', message: 'no such position' })
  if (issues.length) throw new ValidationError('Invalid user', issues)
}
