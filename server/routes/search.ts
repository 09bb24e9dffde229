import { Hono } from 'hono'
import { searchRecords } from '../../runtime/search'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toPositiveIntParam } from '../http/query-params'
import { requestCtx } from '../http/request-ctx'

const SEARCH_PARAMS = ['q', 'entities', 'limit'] as const

/** Free-text search across the entities the caller may read: GET /api/search?q=&entities=&limit=. */
export function searchRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    const ctx = await requestCtx(c, deps)
    // Read once the caller is known: a bad parameter is refused in their language.
    const locale = ctx.user?.locale
    const query = readQuery(c, SEARCH_PARAMS, locale)
    const result = await searchRecords(ctx, {
      q: query.q ?? '',
      entities:
        query.entities === undefined ? undefined : query.entities.split(',').map((id) => id.trim()),
      limit: toPositiveIntParam('limit', query.limit, locale),
    })
    return c.json(result)
  })
}
