import { Hono } from 'hono'
import type { Ctx } from '../../runtime/context'
import { ValidationError } from '../../runtime/errors'
import { requireEntity } from '../../runtime/registry'
import {
  bulkShare,
  findDuplicatesForCaller,
  listShares,
  shareRecord,
  transferOwnership,
  unshareRecord,
  type ShareInput,
  type TransferInput,
} from '../../runtime/sharing'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { readQuery } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

const SHARE_KEYS = ['userId', 'departmentId', 'access', 'expiresAt']

/** The body, or 422 naming the first key outside `allowed`. */
function onlyKeys<T>(body: Record<string, unknown>, allowed: readonly string[]): T {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
  if (unknown.length) {
    throw new ValidationError(`Unknown field '${unknown[0]}'`, [
      ...unknown.map((path) => ({
        path,
        message: `unknown field (allowed: ${allowed.join(', ')})`,
      })),
    ])
  }
  return body as T
}

/**
 * The entity the path names; 404 in the caller's language when the metadata has none (for the
 * runtime calls that do not check it themselves).
 */
function pathEntity(ctx: Ctx, entity: string): string {
  requireEntity(ctx.meta, entity, ctx.user?.locale)
  return entity
}

/**
 * This process forgets the recipient's cached session at once (others on the commit's notice), so
 * their next request sees the entity as shared with them.
 */
function forgetRecipient(deps: AppDeps, to: { userId?: unknown; departmentId?: unknown }): void {
  if (typeof to.userId === 'string') deps.sessions?.apply({ userId: to.userId.toLowerCase() })
  if (typeof to.departmentId === 'string')
    deps.sessions?.apply({ departmentId: to.departmentId.toLowerCase() })
}

/**
 * Sharing, bulk transfer and the anti-collision lookup, under /api/data (mounted before the
 * record routes): /:entity/:id/shares, /:entity/bulk/share|transfer, /:entity/duplicates.
 */
export function sharingRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/:entity/:id/shares', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const data = await listShares(ctx, c.req.param('entity'), c.req.param('id'))
      return c.json({ data })
    })
    .post('/:entity/:id/shares', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const input = onlyKeys<ShareInput>(await readJsonObject(c), SHARE_KEYS)
      const share = await shareRecord(ctx, c.req.param('entity'), c.req.param('id'), input)
      forgetRecipient(deps, share)
      return c.json(share, 201)
    })
    .delete('/:entity/:id/shares/:shareId', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const { entity, id, shareId } = c.req.param()
      await unshareRecord(ctx, pathEntity(ctx, entity), id, shareId)
      return c.body(null, 204)
    })
    .post('/:entity/bulk/share', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const body = await readJsonObject(c)
      const input = onlyKeys<ShareInput & { ids: unknown }>(body, ['ids', ...SHARE_KEYS])
      const result = await bulkShare(ctx, c.req.param('entity'), input)
      forgetRecipient(deps, input)
      return c.json(result)
    })
    .post('/:entity/bulk/transfer', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const allowed = ['ids', 'toUserId', 'keepAsCollaborator', 'moveRelated']
      const input = onlyKeys<TransferInput>(await readJsonObject(c), allowed)
      const { result, collaborators } = await transferOwnership(ctx, c.req.param('entity'), input)
      for (const userId of collaborators) forgetRecipient(deps, { userId })
      return c.json(result)
    })
    .post('/:entity/duplicates', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const { values } = onlyKeys<{ values: Record<string, unknown> }>(await readJsonObject(c), [
        'values',
      ])
      const entity = pathEntity(ctx, c.req.param('entity'))
      const data = await findDuplicatesForCaller(ctx, entity, values)
      return c.json({ data })
    })
}
