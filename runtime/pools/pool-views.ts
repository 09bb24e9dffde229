import { sql } from 'drizzle-orm'
import type { Pool, PoolDefinition } from '../../metadata/pool'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors'
import { assertReadableSort, hiddenFields, stripHidden } from '../permissions'
import { listRecords, type ListInput, type ListResult } from '../records'
import { canUsePool } from './pool-access'
import { poolColumns } from './pool-columns'
import { poolWords } from './pool-refusal-texts'
import { startOfDay } from './pool-day'

/** A pool as its member sees it: what it holds for them and how far they are from the limits. */
export interface PoolOverview {
  id: string
  label: PoolDefinition['label']
  entity: string
  /** Unowned records waiting in the pool. */
  waiting: number
  /** Records of the entity the caller owns now, and the cap (null: none). */
  held: number
  heldLimit: number | null
  claimedToday: number
  claimsPerDay: number | null
  returnReasons: NonNullable<PoolDefinition['returnReasons']>
}

/** The pool definitions among published pools and rules. */
export function poolDefinitions(pools: readonly Pool[]): PoolDefinition[] {
  return pools.filter((p): p is PoolDefinition => p.type === 'pool')
}

/** The pool with `id`, or a 404 naming it; a pool the caller may not use is also a 404. */
export async function requirePool(ctx: Ctx, pools: readonly Pool[], id: string) {
  const pool = poolDefinitions(pools).find((p) => p.id === id)
  if (!pool || !(await canUsePool(ctx, pool))) {
    const w = poolWords(ctx)
    throw new NotFoundError(w('noPool', { id }), [{ path: 'id', message: w('noPoolField') }])
  }
  return pool
}

/**
 * The pools the caller may use, each with its waiting records and the caller's held count and
 * claims today against the limits.
 * @example await listPools(ctx, meta.bundle.pools ?? []) // [{ id: 'east', held: 3, heldLimit: 50, … }]
 */
export async function listPools(ctx: Ctx, pools: readonly Pool[]): Promise<PoolOverview[]> {
  if (!ctx.user) throw new UnauthorizedError(poolWords(ctx)('signInToSee'))
  const out: PoolOverview[] = []
  for (const pool of poolDefinitions(pools)) {
    if (!(await canUsePool(ctx, pool))) continue
    const cols = poolColumns(ctx.meta, pool)
    const [row] = await ctx.db.query<{ waiting: number; held: number; today: number }>(sql`
      select
        (select count(*)::int from ${cols.plan.table} where ${cols.owner} is null and ${cols.pool} = ${pool.id}) as waiting,
        (select count(*)::int from ${cols.plan.table} where ${cols.owner} = ${ctx.user.id}::uuid) as held,
        (select count(*)::int from audit_log where entity = ${pool.entity} and action = 'claim'
          and user_id = ${ctx.user.id}::uuid and at >= ${startOfDayIso(ctx, pool)}::timestamptz) as today`)
    out.push({
      id: pool.id,
      label: pool.label,
      entity: pool.entity,
      waiting: Number(row.waiting),
      held: Number(row.held),
      heldLimit: pool.limits?.held ?? null,
      claimedToday: Number(row.today),
      claimsPerDay: pool.limits?.claimsPerDay ?? null,
      returnReasons: pool.returnReasons ?? [],
    })
  }
  return out
}

function startOfDayIso(ctx: Ctx, pool: PoolDefinition): string {
  return startOfDay(ctx.clock.now(), pool.timeZone).toISOString()
}

/**
 * The unowned records waiting in a pool, paged like any list. Members see them although their
 * own read scope may not reach unowned records: pool membership is the right here. Fields
 * hidden from the caller stay hidden.
 */
export async function listPoolRecords(
  ctx: Ctx,
  pool: PoolDefinition,
  input: Omit<ListInput, 'filter'>,
): Promise<ListResult> {
  if (!(await canUsePool(ctx, pool))) {
    const w = poolWords(ctx, pool)
    throw new ForbiddenError(w('mayNotSee'), [{ path: 'id', message: w('notMember') }])
  }
  const entity = ctx.meta.entities.get(pool.entity)!
  const filter = {
    and: [
      { '==': [{ var: entity.ownerField! }, null] },
      { '==': [{ var: pool.poolField ?? 'pool' }, pool.id] },
    ],
  }
  // Read as the system would, then strip what the caller may not see; a hidden field must not
  // order the page either (its cursor would carry the value).
  assertReadableSort(ctx, pool.entity, input.sort ?? '')
  const system = { ...ctx, user: { ...ctx.user!, isAdmin: true, roles: [] } }
  const page = await listRecords(system, pool.entity, { ...input, filter })
  const hidden = hiddenFields(ctx, pool.entity)
  return { ...page, data: page.data.map((r) => stripHidden(hidden, r)) }
}
