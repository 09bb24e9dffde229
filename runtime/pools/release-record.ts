import { sql } from 'drizzle-orm'
import type { PoolDefinition } from '../../metadata/pool'
import type { Ctx } from '../context'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../errors'
import { getRecord } from '../records'
import { isUuid } from '../records/record-data'
import { evaluateRule, isTruthy } from '../rules'
import { canAdminPool } from './pool-access'
import { poolColumns } from './pool-columns'
import { recordPoolMove } from './pool-history'
import { poolWords } from './pool-refusal-texts'
import { refreshReclaim } from './reclaim-timers'

/** Where a record goes and why. */
export interface ReleaseInput {
  /** The target pool (any pool of the record's entity the record matches). */
  pool: PoolDefinition
  reason: string
}

function assertReason(pool: PoolDefinition, reason: unknown): asserts reason is string {
  const values = pool.returnReasons?.map((r) => r.value)
  const ok = typeof reason === 'string' && reason.trim() !== '' && reason.length <= 500
  if (!ok || (values && !values.includes(reason)))
    throw new ValidationError('Give a reason for returning the record', [
      {
        path: 'reason',
        message: values ? `must be one of ${values.join(', ')}` : 'must be a non-empty text',
      },
    ])
}

/**
 * Returns a record to a pool by hand: its owner (or an admin of the target pool) clears the
 * owner and names the pool and a reason; both go into the record's history, and the record's
 * reclaim timers are cancelled. A record the pool's `filter` does not admit is a 422.
 * @example await releaseRecord(ctx, 'customer', id, { pool: westPool, reason: 'wrongRegion' })
 */
export async function releaseRecord(
  ctx: Ctx,
  entity: string,
  recordId: string,
  input: ReleaseInput,
): Promise<{ id: string; version: number }> {
  const { pool, reason } = input
  const user = ctx.user
  if (!user) throw new UnauthorizedError(poolWords(ctx)('signInToRelease'))
  if (pool.entity !== entity)
    throw new ValidationError(`Pool '${pool.id}' holds ${pool.entity} records`, [
      { path: 'pool', message: `is not a pool of ${entity}` },
    ])
  assertReason(pool, reason)
  if (!isUuid(recordId)) throw new NotFoundError(`No ${entity} '${recordId}'`)
  const record = await getRecord(ctx, entity, recordId)
  const cols = poolColumns(ctx.meta, pool)
  const ownerField = cols.plan.entity.ownerField!
  const owner = (record[ownerField] as string | null) ?? null
  if (owner !== user.id && !(await canAdminPool(ctx, pool)))
    throw new ForbiddenError('Only the owner or a pool admin may release this record', [
      { path: ownerField, message: 'you do not own this record' },
    ])
  if (pool.filter && !isTruthy(evaluateRule(pool.filter, record)))
    throw new ValidationError(`The record does not belong in pool '${pool.id}'`, [
      { path: 'pool', message: "the record does not match the pool's filter" },
    ])
  const poolField = pool.poolField ?? 'pool'
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now()
    const [row] = await tx.query<{ version: number }>(sql`
      update ${cols.plan.table} set ${cols.owner} = null, ${cols.pool} = ${pool.id},
        version = version + 1, updated_at = ${now.toISOString()}::timestamptz,
        updated_by = ${user.id}::uuid
      where id = ${recordId}::uuid and ${cols.owner} is not distinct from ${owner}::uuid
      returning version`)
    if (!row) throw new ConflictError(`${entity} '${recordId}' changed owner meanwhile`)
    const version = Number(row.version)
    await recordPoolMove(tx, {
      entity,
      recordId,
      action: 'release',
      userId: user.id,
      at: now,
      version,
      requestId: ctx.requestId,
      changes: {
        [ownerField]: { before: owner, after: null },
        [poolField]: { before: record[poolField] ?? null, after: pool.id },
        reason: { before: null, after: reason },
      },
    })
    await refreshReclaim(tx, ctx.meta, pool, recordId)
    return { id: recordId, version }
  })
}
