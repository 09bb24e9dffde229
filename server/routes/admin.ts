import { Hono, type Context } from 'hono'
import {
  assertOrgAdmin,
  createDepartment,
  createOrgUser,
  createPosition,
  deleteDepartment,
  deletePosition,
  getOrgUser,
  listDepartments,
  listOrgUsers,
  listPositions,
  resetUserPassword,
  updateDepartment,
  updateOrgUser,
  updatePosition,
  type NewDepartment,
  type NewOrgUser,
} from '../../runtime/org'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { readQuery, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

/**
 * Users, departments, positions and roles under /api/admin: administrators only (403 otherwise).
 * A change to a user evicts their cached sessions here at once (other processes hear the NOTIFY).
 */
export function adminRoutes(deps: AppDeps): Hono<AppEnv> {
  const adminCtx = async (c: Context<AppEnv>) => {
    const ctx = await requestCtx(c, deps)
    assertOrgAdmin(ctx)
    return ctx
  }
  const forget = (userId: string) => deps.sessions?.apply({ userId })
  return new Hono<AppEnv>()
    .get('/users', async (c) => {
      const ctx = await adminCtx(c)
      const locale = requestLocale(c)
      const { q, limit } = readQuery(c, ['q', 'limit'], locale)
      return c.json({
        data: await listOrgUsers(ctx, { q, limit: toPositiveIntParam('limit', limit, locale) }),
      })
    })
    .post('/users', async (c) => {
      const ctx = await adminCtx(c)
      const body = await readJsonObject(c)
      return c.json(await createOrgUser(ctx, body as unknown as NewOrgUser), 201)
    })
    .get('/users/:id', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await getOrgUser(await adminCtx(c), c.req.param('id')))
    })
    .patch('/users/:id', async (c) => {
      const ctx = await adminCtx(c)
      const user = await updateOrgUser(ctx, c.req.param('id'), await readJsonObject(c))
      forget(user.id)
      return c.json(user)
    })
    .post('/users/:id/password', async (c) => {
      const ctx = await adminCtx(c)
      const body = await readJsonObject(c)
      await resetUserPassword(ctx, c.req.param('id'), body.password)
      forget(c.req.param('id'))
      return c.body(null, 204)
    })
    .get('/departments', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json({ data: await listDepartments(await adminCtx(c)) })
    })
    .post('/departments', async (c) => {
      const ctx = await adminCtx(c)
      const body = await readJsonObject(c)
      return c.json(await createDepartment(ctx, body as unknown as NewDepartment), 201)
    })
    .patch('/departments/:id', async (c) => {
      const ctx = await adminCtx(c)
      return c.json(await updateDepartment(ctx, c.req.param('id'), await readJsonObject(c)))
    })
    .delete('/departments/:id', async (c) => {
      await deleteDepartment(await adminCtx(c), c.req.param('id'))
      return c.body(null, 204)
    })
    .get('/positions', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json({ data: await listPositions(await adminCtx(c)) })
    })
    .post('/positions', async (c) => {
      const ctx = await adminCtx(c)
      const body = await readJsonObject(c)
      return c.json(await createPosition(ctx, body as { name: string }), 201)
    })
    .patch('/positions/:id', async (c) => {
      const ctx = await adminCtx(c)
      return c.json(await updatePosition(ctx, c.req.param('id'), await readJsonObject(c)))
    })
    .delete('/positions/:id', async (c) => {
      await deletePosition(await adminCtx(c), c.req.param('id'))
      return c.body(null, 204)
    })
    .get('/roles', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await adminCtx(c)
      return c.json({ data: [...ctx.meta.roles.values()] })
    })
}
