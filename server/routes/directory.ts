import { Hono } from 'hono'
import { listDirectoryDepartments, listDirectoryUsers } from '../../runtime/org'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'

/**
 * Colleagues and departments for pickers, under /api/directory: any signed-in user.
 * GET /users?q=&limit= searches enabled users by name; GET /users?ids=a,b names those users.
 */
export function directoryRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/users', async (c) => {
      const locale = requestLocale(c)
      const { q, limit, ids } = readQuery(c, ['q', 'limit', 'ids'], locale)
      const data = await listDirectoryUsers(deps, {
        q,
        limit: toPositiveIntParam('limit', limit, locale),
        ids: ids === undefined ? undefined : ids.split(',').filter(Boolean),
      })
      return c.json({ data })
    })
    .get('/departments', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json({ data: await listDirectoryDepartments(deps) })
    })
}
