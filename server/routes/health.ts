import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { isApiToken } from '../../runtime/identity'
import { readJobsHealth } from '../../runtime/jobs/jobs-health'
import type { AppDeps, AppEnv } from '../app-deps'
import { sessionToken } from '../middleware/auth'

/**
 * GET /api/health: the process answers and the database runs `select 1`. That is all an
 * anonymous caller learns; an administrator's session or token adds the engine's state (queue
 * kind, lag and counts, due timers, open dead letters, outbox lag).
 */
export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    await deps.db.query(sql`select 1`)
    const found = sessionToken(c)
    // As the auth middleware: an API token counts only as a bearer token.
    const usable = found && !(found.via === 'cookie' && isApiToken(found.token))
    const user =
      usable && deps.sessions
        ? await deps.sessions.resolve(found.token, deps.clock.now()).catch(() => null)
        : null
    if (!user?.isAdmin) return c.json({ status: 'ok', db: 'ok' })
    const jobs = await readJobsHealth(deps.db, deps.queue, deps.clock.now())
    return c.json({ status: 'ok', db: 'ok', jobs })
  })
}
