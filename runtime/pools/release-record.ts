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
import { otherEntityPool, poolWords } from './pool-refusal-texts'
import { refreshReclaim } from './reclaim-timers'

/** Where a record goes and why. */
export interface ReleaseInput {
  /** The target pool (any pool of the record's entity the record matches). */
  pool: PoolDefinition
  reason: string
}

function assertReason(ctx: Ctx, pool: PoolDefinition, reason: unknown): asserts reason is string {
  const values = pool.returnReasons?.map((r) => r.value)
  const ok = typeof reason === 'string' && reason.trim() !== '' && reason.length <= 500
  if (!ok || (values && !values.includes(reason))) {
    const w = poolWords(ctx, pool)
    const message = values ? w('reasonOneOf', { values: values.join(', ') }) : w('reasonNotEmpty')
    throw new ValidationError(w('giveReason'), [{ path: 'reason', message }])
  }
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
  if (pool.entity !== entity) throw otherEntityPool(ctx, pool, entity)
  assertReason(ctx, pool, reason)
  if (!isUuid(recordId)) throw new NotFoundError(`No ${entity} '${recordId}'`)
  const record = await getRecord(ctx, entity, recordId)
  const cols = poolColumns(ctx.meta, pool)
  const ownerField = cols.plan.entity.ownerField!
  const owner = (record[ownerField] as string | null) ?? null
  if (owner !== user.id && !(await canAdminPool(ctx, pool))) {
    const w = poolWords(ctx, pool)
    throw new ForbiddenError(w('onlyOwnerReleases'), [
      { path: ownerField, message: w('onlyOwnerReleasesField') },
    ])
  }
  if (pool.filter && !isTruthy(evaluateRule(pool.filter, record))) {
    const w = poolWords(ctx, pool)
    throw new ValidationError(w('notInPool'), [{ path: 'pool', message: w('notInPoolField') }])
  }
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
