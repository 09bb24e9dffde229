import { Hono } from 'hono'
import { BadRequestError, ConflictError } from '../../runtime/errors'
import { retryDeadLetter } from '../../runtime/jobs/dead-letters'
import { readJobsOverview } from '../../runtime/jobs/jobs-overview'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toBooleanParam, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { assertAdmin } from '../http/request-ctx'

const LIST_PARAMS = ['limit', 'before', 'open'] as const

/**
 * The engine for operators under /api/admin/jobs, administrators only (403 otherwise): queue
 * counts, overdue timers, outbox lag and the dead letters, and retrying one of them on the
 * queue this process runs.
 */
export function adminJobsRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      assertAdmin(c)
      const locale = requestLocale(c)
      const query = readQuery(c, LIST_PARAMS, locale)
      const page = {
        limit: toPositiveIntParam('limit', query.limit, locale),
        before: query.before,
        open: toBooleanParam('open', query.open, locale),
      }
      return c.json(await readJobsOverview(deps.db, deps.queue, deps.clock.now(), page))
    })
    .post('/dead-letters/:id/retry', async (c) => {
      assertAdmin(c)
      readQuery(c, [], requestLocale(c))
      const id = c.req.param('id')
      if (!deps.queue) {
        // The id is still checked first, so a bad one is a 400 here as on a server with a queue.
        if (!/^[0-9]{1,15}$/.test(id) || Number(id) < 1) {
          const message = 'must be a positive whole number'
          throw new BadRequestError(`Invalid dead letter id: ${message}`, [{ path: 'id', message }])
        }
        throw new ConflictError(
          'This server process runs no job queue: retry with `trellis jobs retry <id>`',
        )
      }
      const letter = await retryDeadLetter(deps.db, deps.queue, id)
      const { data: _data, ...shown } = letter
      return c.json(shown)
    })
}
