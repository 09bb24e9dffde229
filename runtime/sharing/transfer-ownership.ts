import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ValidationError, type Issue } from '../errors'
import { canAttempt } from '../permissions'
import { mayNotAny } from '../records'
import { requireEntity } from '../registry'
import { requireCaller } from './caller'
import { entityTable, idList, loadTargets } from './load-targets'
import { moveRelated } from './move-related'
import { reassignOwner, type Reassigned } from './reassign-owner'
import { validateIds } from './record-ids'
import { ownerColumn } from './record-owner'
import { T } from './scope-condition'
import { isUuid } from './share-input'
import { writeShares } from './share-rows'

/** A bulk transfer of ownership. */
export interface TransferInput {
  ids: string[]
  toUserId: string
  /** Share each record read-only with its old owner. */
  keepAsCollaborator?: boolean
  /** Move the records that follow these (permissionParent) and belonged to the old owner too. */
  moveRelated?: boolean
}

/** How many records changed owner: the transferred ones, and the related ones per entity. */
export interface TransferResult {
  transferred: number
  related: Record<string, number>
}

/** The answer, and the old owners kept as collaborators (whose cached sessions must reload). */
export interface TransferOutcome {
  result: TransferResult
  collaborators: string[]
}

async function checkInput(ctx: Ctx, input: TransferInput): Promise<string[]> {
  const raw = (input ?? {}) as unknown as Record<string, unknown>
  const ids = validateIds(raw.ids, ctx.user?.locale)
  const issues: Issue[] = []
  for (const flag of ['keepAsCollaborator', 'moveRelated']) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') {
      issues.push({ path: flag, message: 'must be true or false' })
    }
  }
  if (!isUuid(raw.toUserId)) {
    issues.push({ path: 'toUserId', message: 'not a user id' })
  } else {
    const rows = await ctx.db.query(
      sql`select 1 from users where id = ${raw.toUserId}::uuid and not disabled`,
    )
    if (!rows.length) issues.push({ path: 'toUserId', message: 'no such user' })
  }
  if (issues.length) throw new ValidationError('Invalid transfer', issues)
  return ids
}

/** Shares each moved record read-only with its old owner (grouped by old owner); the owners. */
async function keepOldOwners(ctx: Ctx, entityId: string, moved: Reassigned[]): Promise<string[]> {
  const byOwner = new Map<string, string[]>()
  for (const { id, before } of moved) {
    if (before) byOwner.set(before, [...(byOwner.get(before) ?? []), id])
  }
  for (const [userId, ids] of byOwner) {
    await writeShares(ctx, entityId, ids, {
      userId,
      departmentId: null,
      access: 'read',
      expiresAt: null,
    })
  }
  return [...byOwner.keys()]
}

/**
 * Gives records a new owner, all or nothing in one transaction. The caller needs the `assign`
 * action on every record: 404 names the first one they cannot read, 403 the first one they may
 * not assign. Records already owned by `toUserId` are left alone (not counted).
 * @example await transferOwnership(ctx, 'customer', { ids: [a, b], toUserId: ana, moveRelated: true })
 *   // { result: { transferred: 2, related: { contact: 5, opportunity: 1 } }, collaborators: [] }
 */
export async function transferOwnership(
  ctx: Ctx,
  entityId: string,
  input: TransferInput,
): Promise<TransferOutcome> {
  requireCaller(ctx)
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const ids = await checkInput(ctx, input)
  if (!canAttempt(ctx, entityId, 'assign')) {
    throw mayNotAny(ctx, entityId, 'transfer', 'ids')
  }
  const toUserId = input.toUserId.toLowerCase()
  return ctx.db.transaction(async (db) => {
    const tx = { ...ctx, db }
    const paths = ids.map((_, i) => `ids[${i}]`)
    await loadTargets(tx, entity, ids, { paths, action: 'assign', lock: true })
    const owner = ownerColumn(entity).column
    const selectOld = sql`select ${T}.id, ${T}.${owner} as before_owner from ${entityTable(entity)}
      where ${T}.id in (${idList(ids)}) and ${T}.${owner} is distinct from ${toUserId}::uuid`
    const moved = await reassignOwner(tx, entity, selectOld, toUserId)
    const collaborators = input.keepAsCollaborator ? await keepOldOwners(tx, entityId, moved) : []
    const related = input.moveRelated ? await moveRelated(tx, entity, moved, toUserId) : {}
    return { result: { transferred: moved.length, related }, collaborators }
  })
}
