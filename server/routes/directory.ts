import { Hono } from 'hono'
import { listDirectoryDepartments, listDirectoryUsers } from '../../runtime/org'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toPositiveIntParam } from '../http/query-params'

/**
 * Colleagues and departments for pickers, under /api/directory: any signed-in user.
 * GET /users?q=&limit= searches enabled users by name; GET /users?ids=a,b names those users.
 */
export function directoryRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/users', async (c) => {
      const { q, limit, ids } = readQuery(c, ['q', 'limit', 'ids'])
      const data = await listDirectoryUsers(deps, {
        q,
        limit: toPositiveIntParam('limit', limit),
        ids: ids === undefined ? undefined : ids.split(',').filter(Boolean),
      })
      return c.json({ data })
    })
    .get('/departments', async (c) => {
      readQuery(c, [])
      return c.json({ data: await listDirectoryDepartments(deps) })
    })
}
