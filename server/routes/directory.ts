import { Hono } from 'hono'
import { listDirectoryDepartments, listDirectoryUsers } from '../../runtime/org'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toPositiveIntParam } from '../http/query-params'

/** Colleagues and departments for pickers, under /api/directory: any signed-in user. */
export function directoryRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/users', async (c) => {
      const { q, limit } = readQuery(c, ['q', 'limit'])
      const data = await listDirectoryUsers(deps, { q, limit: toPositiveIntParam('limit', limit) })
      return c.json({ data })
    })
    .get('/departments', async (c) => {
      readQuery(c, [])
      return c.json({ data: await listDirectoryDepartments(deps) })
    })
}
