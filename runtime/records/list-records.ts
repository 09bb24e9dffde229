import { sql, type SQL } from 'drizzle-orm'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { BadRequestError, TrellisError } from '../errors'
import { decodeCursor, encodeCursor } from './cursor'
import { entityPlan, type EntityPlan } from './entity-plan'
import { freeze } from './frozen-sql'
import { buildKeysetPredicate, buildOrderBy, isNotNullColumn, type OrderKey } from './keyset'
import { hiddenFields, scopePredicate, stripHidden } from '../permissions'
import { assertListAllowed } from './record-access'
import type { RecordData } from './record-data'
import { compileFilter, compileSort } from './rule-engine'

export interface ListInput {
  filter?: Rule
  sort?: string
  limit?: number
  cursor?: string
  count?: boolean
  /** A predicate the runtime adds over the entity's table (a report cell's records); never from HTTP. */
  where?: SQL
}

export interface ListResult {
  data: RecordData[]
  nextCursor: string | null
  total?: number
  totalCapped?: boolean
}

/** Counting stops here: `total` is then a lower bound and `totalCapped` is true. */
export const COUNT_CAP = 10000
const DEFAULT_SORT = '-createdAt'

interface CompiledOrder {
  keys: OrderKey[]
  /** Keys the cursor stores (all but an added id tiebreaker). */
  cursorKeys: number
  orderBy: SQL
  keyColumns: SQL
}

const orders = new WeakMap<EntityPlan, Map<string, CompiledOrder>>()

/** The order of a sort string (validated by compileSort), with an id tiebreaker; cached per plan. */
function compileOrder(plan: EntityPlan, sort: string): CompiledOrder {
  let perPlan = orders.get(plan)
  if (!perPlan) orders.set(plan, (perPlan = new Map()))
  const found = perPlan.get(sort)
  if (found) return found
  const sortKeys = compileSort(plan.entity, sort)
  const keys: OrderKey[] = sortKeys.map((k) => ({
    column: k.column,
    direction: k.direction,
    notNull: isNotNullColumn(k.column),
  }))
  const cursorKeys = keys.length
  if (keys[keys.length - 1]?.column !== 'id') {
    keys.push({ column: 'id', direction: keys[keys.length - 1]?.direction ?? 'asc', notNull: true })
  }
  const keyColumns = sql.join(
    keys
      .slice(0, cursorKeys)
      .map((k, i) => sql`${sql.identifier(k.column)}::text as ${sql.identifier(`__k${i}`)}`),
    sql`, `,
  )
  const order = {
    keys,
    cursorKeys,
    orderBy: freeze(buildOrderBy(keys)),
    keyColumns: freeze(keyColumns),
  }
  if (perPlan.size < 200) perPlan.set(sort, order)
  return order
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return 20
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new BadRequestError('Invalid limit', [
      { path: 'limit', message: 'must be an integer from 1 to 500' },
    ])
  }
  return limit
}

/**
 * A page of records: filter (json-logic → SQL), sort (`-createdAt` by default, id as tiebreaker),
 * keyset cursor, and with `count` a total capped at 10,000. One query (two with count, in parallel).
 * @example await listRecords(ctx, 'customer', { filter: { '==': [{ var: 'level' }, 'A'] }, sort: 'name', limit: 50 })
 */
export async function listRecords(
  ctx: Ctx,
  entityId: string,
  input: ListInput,
): Promise<ListResult> {
  const plan = entityPlan(ctx.meta, entityId)
  const limit = checkLimit(input.limit)
  const sort = input.sort?.trim() || DEFAULT_SORT
  assertListAllowed(ctx, entityId, { filter: input.filter, sort })
  const order = compileOrder(plan, sort)
  const conditions: SQL[] = []
  // Null for unrestricted callers: the query is then exactly the admin's.
  const scope = scopePredicate(ctx, entityId, 'read')
  if (scope) conditions.push(scope)
  if (input.where) conditions.push(input.where)
  if (input.filter !== undefined && input.filter !== null) {
    conditions.push(
      compileFilter(plan.entity, input.filter, { now: ctx.clock.now(), vars: { $user: ctx.user } }),
    )
  }
  const filterWhere = conditions.length ? sql` where ${sql.join(conditions, sql` and `)}` : sql``
  if (input.cursor !== undefined && input.cursor !== null && input.cursor !== '') {
    const cursor = decodeCursor(input.cursor, sort, order.cursorKeys)
    const values =
      order.cursorKeys < order.keys.length ? [...cursor.values, cursor.id] : cursor.values
    conditions.push(buildKeysetPredicate(order.keys, values))
  }
  const where = conditions.length ? sql` where ${sql.join(conditions, sql` and `)}` : sql``
  const extra = order.cursorKeys ? sql`, ${order.keyColumns}` : sql``
  const page = sql`select ${plan.selectList}${extra} from ${plan.table}${where} order by ${order.orderBy} limit ${limit + 1}`
  const count = input.count
    ? sql`select count(*)::int as n from (select 1 from ${plan.table}${filterWhere} limit ${COUNT_CAP + 1}) x`
    : null
  let rows: Record<string, unknown>[]
  let counted: { n: number }[] | null = null
  try {
    ;[rows, counted] = await Promise.all([
      ctx.db.query(page),
      count ? ctx.db.query<{ n: number }>(count) : null,
    ])
  } catch (err) {
    throw toListError(err, input.cursor !== undefined)
  }
  const hasMore = rows.length > limit
  if (hasMore) rows = rows.slice(0, limit)
  const last = rows[rows.length - 1]
  const nextCursor =
    hasMore && last
      ? encodeCursor({
          sort,
          values: Array.from(
            { length: order.cursorKeys },
            (_, i) => (last[`__k${i}`] as string | null) ?? null,
          ),
          id: last.id as string,
        })
      : null
  const hidden = hiddenFields(ctx, entityId)
  const toRecord = hidden
    ? (row: Record<string, unknown>) => stripHidden(hidden, plan.toRecord(row))
    : plan.toRecord
  const result: ListResult = { data: rows.map(toRecord), nextCursor }
  if (counted) {
    const n = Number(counted[0]?.n ?? 0)
    result.total = Math.min(n, COUNT_CAP)
    result.totalCapped = n > COUNT_CAP
  }
  return result
}

/** A value the database cannot read from a tampered cursor is the cursor's fault, not a 500. */
function toListError(err: unknown, hadCursor: boolean): unknown {
  if (err instanceof TrellisError) return err
  const code = (err as { code?: string }).code ?? ''
  if (hadCursor && code.startsWith('22')) {
    return new BadRequestError('Invalid cursor', [
      { path: 'cursor', message: 'not a cursor of this list' },
    ])
  }
  return err
}
