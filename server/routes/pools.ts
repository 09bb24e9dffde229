import { Hono } from 'hono'
import { requireEntity } from '../../runtime/registry'
import type { Ctx } from '../../runtime/context'
import type { Pool } from '../../metadata/pool'
import {
  canAdminPool,
  claimRecord,
  listPoolRecords,
  listPools,
  noPoolToRelease,
  poolDefinitions,
  releaseRecord,
  requirePool,
} from '../../runtime/pools'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { readQuery, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

/**
 * The caller's pools, each also saying whether the caller administers it (may return anyone's
 * record to it), which field names a record's pool, which records it admits (`filter`) and the
 * cool-down: the workspace offers Release only where it is allowed and words refusals with the
 * numbers.
 */
async function withPoolFacts(ctx: Ctx, pools: readonly Pool[]) {
  const byId = new Map(poolDefinitions(pools).map((p) => [p.id, p]))
  const overviews = await listPools(ctx, pools)
  return Promise.all(
    overviews.map(async (o) => {
      const pool = byId.get(o.id)!
      const admin = await canAdminPool(ctx, pool)
      return {
        ...o,
        admin,
        poolField: pool.poolField ?? 'pool',
        cooldownDays: pool.cooldownDays ?? 0,
        filter: pool.filter ?? null,
      }
    }),
  )
}

/**
 * Pools under /api: the caller's pools with their held counts, the records waiting in one,
 * claiming one, and returning an owned record to a pool with a reason.
 */
export function poolRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/pools', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      return c.json({ data: await withPoolFacts(ctx, ctx.meta.bundle.pools ?? []) })
    })
    .get('/pools/:id/records', async (c) => {
      const locale = requestLocale(c)
      const query = readQuery(c, ['limit', 'cursor', 'sort', 'count'], locale)
      const ctx = await requestCtx(c, deps)
      const pool = await requirePool(ctx, ctx.meta.bundle.pools ?? [], c.req.param('id'))
      const page = await listPoolRecords(ctx, pool, {
        limit: toPositiveIntParam('limit', query.limit, locale),
        cursor: query.cursor,
        sort: query.sort,
        count: query.count === 'true',
      })
      return c.json(page)
    })
    .post('/pools/:id/claim/:recordId', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const pool = await requirePool(ctx, ctx.meta.bundle.pools ?? [], c.req.param('id'))
      return c.json(await claimRecord(ctx, pool, c.req.param('recordId')))
    })
    .post('/data/:entity/:id/release', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const entity = c.req.param('entity')
      requireEntity(ctx.meta, entity, ctx.user?.locale)
      const body = await readJsonObject(c)
      const pool = poolDefinitions(ctx.meta.bundle.pools ?? []).find(
        (p) => p.id === body.pool && p.entity === entity,
      )
      if (!pool) throw noPoolToRelease(ctx, entity)
      const reason = body.reason as string
      return c.json(await releaseRecord(ctx, entity, c.req.param('id'), { pool, reason }))
    })
}
