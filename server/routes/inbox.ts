import { Hono } from 'hono'
import {
  actOnApprovalLink,
  actOnTask,
  bulkActOnTasks,
  clearOutOfOffice,
  describeApprovalLink,
  getOutOfOffice,
  inboxCounts,
  isInboxBox,
  isTaskAction,
  listInbox,
  setOutOfOffice,
} from '../../runtime/approvals'
import { BadRequestError, NotFoundError } from '../../runtime/errors'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { readQuery, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

/**
 * Approvals as people work them, under /api: the inbox and its counts, task actions (one or in
 * bulk), the caller's out-of-office substitute, and the signed links of approval mails (public:
 * the token is the credential).
 */
export function inboxRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/inbox', async (c) => {
      const locale = requestLocale(c)
      const q = readQuery(c, ['box', 'cursor', 'limit'], locale)
      const box = q.box ?? 'pending'
      if (!isInboxBox(box))
        throw new BadRequestError(`Unknown box '${box}'`, [
          { path: 'box', message: 'must be pending, submitted, cc or done' },
        ])
      const ctx = await requestCtx(c, deps)
      const limit = toPositiveIntParam('limit', q.limit, locale)
      return c.json(await listInbox(ctx, { box, cursor: q.cursor, limit }))
    })
    .get('/inbox/counts', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await inboxCounts(await requestCtx(c, deps)))
    })
    .post('/tasks/bulk', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      return c.json({ results: await bulkActOnTasks(ctx, await readJsonObject(c)) })
    })
    .post('/tasks/:id/:action', async (c) => {
      readQuery(c, [], requestLocale(c))
      const action = c.req.param('action')
      if (!isTaskAction(action))
        throw new NotFoundError(`No task action '${action}'`, [
          { path: 'action', message: 'not a task action' },
        ])
      const ctx = await requestCtx(c, deps)
      const body = await readJsonObject(c, { optional: true })
      return c.json(await actOnTask(ctx, c.req.param('id'), action, body))
    })
    .get('/me/out-of-office', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await getOutOfOffice(await requestCtx(c, deps)))
    })
    .put('/me/out-of-office', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      return c.json(await setOutOfOffice(ctx, await readJsonObject(c)))
    })
    .delete('/me/out-of-office', async (c) => {
      readQuery(c, [], requestLocale(c))
      await clearOutOfOffice(await requestCtx(c, deps))
      return c.body(null, 204)
    })
    .get('/approval-links/:token', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      return c.json(await describeApprovalLink(ctx, c.req.param('token')))
    })
    .post('/approval-links/:token', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const body = await readJsonObject(c, { optional: true })
      return c.json(await actOnApprovalLink(ctx, c.req.param('token'), body))
    })
}
