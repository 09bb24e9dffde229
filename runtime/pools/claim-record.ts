import { sql } from 'drizzle-orm'
import type { PoolDefinition } from '../../metadata/pool'
import type { Ctx } from '../context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors'
import { isUuid } from '../records/record-data'
import { canUsePool } from './pool-access'
import { poolColumns } from './pool-columns'
import { poolWords } from './pool-refusal-texts'
import { startOfDay } from './pool-day'
import { recordPoolMove } from './pool-history'
import { refreshReclaim } from './reclaim-timers'

const DAY_MS = 24 * 60 * 60 * 1000

/** What a successful claim answers: the record's id, its new version and owner. */
export interface ClaimResult {
  id: string
  version: number
  owner: string
}

const conflict = (message: string, code: string) =>
  new ConflictError(message, [{ path: 'recordId', message }], { reason: code })

/** 409 when the caller gave the record back (or lost it) within the pool's cool-down. */
async function assertCooledDown(ctx: Ctx, pool: PoolDefinition, id: string, userId: string) {
  if (!pool.cooldownDays) return
  const owner = ctx.meta.entities.get(pool.entity)?.ownerField ?? 'owner'
  const since = new Date(+ctx.clock.now() - pool.cooldownDays * DAY_MS).toISOString()
  const rows = await ctx.db.query(sql`
    select 1 from audit_log where entity = ${pool.entity} and record_id = ${id}::uuid
      and action in ('release', 'reclaim') and changes->${owner}::text->>'before' = ${userId}
      and at > ${since}::timestamptz limit 1`)
  if (rows.length)
    throw conflict(poolWords(ctx, pool)('cooldown', { days: pool.cooldownDays }), 'cooldown')
}

/** 409 when the caller reached the daily claim limit or the held limit (of the record's level). */
async function assertWithinLimits(ctx: Ctx, pool: PoolDefinition, id: string, userId: string) {
  const limits = pool.limits
  if (!limits) return
  const cols = poolColumns(ctx.meta, pool)
  const w = poolWords(ctx, pool)
  if (limits.claimsPerDay) {
    const from = startOfDay(ctx.clock.now(), pool.timeZone).toISOString()
    const [row] = await ctx.db.query<{ n: number }>(sql`
      select count(*)::int as n from audit_log where entity = ${pool.entity}
        and action = 'claim' and user_id = ${userId}::uuid and at >= ${from}::timestamptz`)
    if (row.n >= limits.claimsPerDay)
      throw conflict(w('dailyLimit', { count: row.n }), 'dailyLimit')
  }
  const [held] = await ctx.db.query<{ n: number; at_level: number; level: string | null }>(sql`
    select (select count(*)::int from ${cols.plan.table} h where h.${cols.owner} = ${userId}::uuid) as n,
      (select count(*)::int from ${cols.plan.table} h where h.${cols.owner} = ${userId}::uuid
        and ${cols.level ? sql`h.${cols.level} is not distinct from t.${cols.level}` : sql`false`}) as at_level,
      ${cols.level ? sql`t.${cols.level}::text` : sql`null::text`} as level
    from ${cols.plan.table} t where t.id = ${id}::uuid`)
  if (!held) return
  if (limits.held && held.n >= limits.held)
    throw conflict(w('heldLimit', { count: held.n }), 'heldLimit')
  const cap = held.level === null ? undefined : limits.heldByLevel?.[held.level]
  if (cap !== undefined && held.at_level >= cap)
    throw conflict(
      w('heldLevelLimit', { count: held.at_level, level: String(held.level) }),
      'heldLimit',
    )
}

/**
 * Claims an unowned record of a pool for the caller. Exactly one of any number of concurrent
 * claims wins (a conditional update on `owner is null and pool = …`); the others get 409. The
 * caller's claims are serialised by an advisory lock, so the daily and held limits hold under
 * races too. The claim goes into the record's history and schedules its reclaim.
 * @example await claimRecord(ctx, eastPool, customerId) // { id, version: 4, owner: ctx.user.id }
 */
export async function claimRecord(
  ctx: Ctx,
  pool: PoolDefinition,
  recordId: string,
): Promise<ClaimResult> {
  const user = ctx.user
  if (!user) throw new UnauthorizedError(poolWords(ctx)('signInToClaim'))
  const w = poolWords(ctx, pool)
  if (!isUuid(recordId)) throw new NotFoundError(w('noRecord', { id: recordId }))
  if (!(await canUsePool(ctx, pool)))
    throw new ForbiddenError(w('mayNotClaim'), [{ path: 'pool', message: w('notMember') }])
  const cols = poolColumns(ctx.meta, pool)
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx }
    await tx.query(
      sql`select pg_advisory_xact_lock(hashtext(${`pool-claim:${pool.entity}:${user.id}`}))`,
    )
    await assertCooledDown(txCtx, pool, recordId, user.id)
    await assertWithinLimits(txCtx, pool, recordId, user.id)
    const now = ctx.clock.now()
    const [row] = await tx.query<{ version: number }>(sql`
      update ${cols.plan.table} set ${cols.owner} = ${user.id}::uuid, version = version + 1,
        updated_at = ${now.toISOString()}::timestamptz, updated_by = ${user.id}::uuid
      where id = ${recordId}::uuid and ${cols.owner} is null and ${cols.pool} = ${pool.id}
      returning version`)
    if (!row) {
      const exists = await tx.query(sql`
        select 1 from ${cols.plan.table} where id = ${recordId}::uuid and ${cols.pool} = ${pool.id}`)
      if (!exists.length) throw new NotFoundError(w('noRecord', { id: recordId }))
      throw conflict(w('taken'), 'taken')
    }
    const version = Number(row.version)
    await recordPoolMove(tx, {
      entity: pool.entity,
      recordId,
      action: 'claim',
      userId: user.id,
      at: now,
      version,
      requestId: ctx.requestId,
      changes: { [cols.plan.entity.ownerField!]: { before: null, after: user.id } },
    })
    await refreshReclaim(tx, ctx.meta, pool, recordId)
    return { id: recordId, version, owner: user.id }
  })
}
