import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../app-deps'

/** GET /api/health: the process answers and the database runs `select 1`. */
export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    await deps.db.query(sql`select 1`)
    return c.json({ status: 'ok', db: 'ok' })
  })
}
