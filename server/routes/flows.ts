import { Hono, type Context } from 'hono'
import { ValidationError } from '../../runtime/errors'
import { notARecordId, versionWords, type VersionWords } from '../../runtime/records'
import { getApprovalView, recordApprovalAction } from '../../runtime/approvals'
import {
  callerRefusalWords,
  fireTransition,
  listTransitions,
  type FireInput,
  type RefusalWords,
} from '../../runtime/flows'
import { requireEntity } from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { expectedVersion, toEtag } from '../http/expected-version'
import { readJsonObject } from '../http/json-body'
import { readQuery } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const FIRE_KEYS = ['version', 'comment', 'inputs', 'picks']

/** The runtime context plus the entity and record id named by the path (404 naming them). */
async function target(c: Context<AppEnv>, deps: AppDeps) {
  readQuery(c, [], requestLocale(c))
  const ctx = await requestCtx(c, deps)
  const entity = c.req.param('entity') ?? ''
  requireEntity(ctx.meta, entity, ctx.user?.locale)
  const id = c.req.param('id') ?? ''
  if (!UUID.test(id)) throw notARecordId(ctx, entity, id)
  return { ctx, entity, id }
}

/**
 * The fire body: no key but the four, the version from If-Match or the body; fireTransition
 * checks the values' shapes, in the caller's language. Unknown keys are refused naming the
 * transition by its label.
 */
function toFireInput(
  c: Context,
  body: Record<string, unknown>,
  w: RefusalWords,
  versions: VersionWords,
): FireInput {
  const unknown = Object.keys(body).find((k) => !FIRE_KEYS.includes(k))
  if (unknown) {
    const message = w.text('unknownKey', { key: unknown, keys: FIRE_KEYS.join(', ') })
    throw new ValidationError(message, [{ path: unknown, message }])
  }
  const { comment, inputs, picks } = body as Omit<FireInput, 'version'>
  return {
    version: expectedVersion(c, versions, body),
    comment: comment ?? undefined,
    inputs,
    picks,
  }
}

/**
 * Flows on records, under /api/data (mounted before the record routes): the transitions the
 * caller may fire and firing one, the approval panel, recall and resubmit.
 */
export function flowRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/:entity/:id/transitions', async (c) => {
      const { ctx, entity, id } = await target(c, deps)
      return c.json(await listTransitions(ctx, entity, id))
    })
    .post('/:entity/:id/transitions/:transition', async (c) => {
      const { ctx, entity, id } = await target(c, deps)
      const words = callerRefusalWords(ctx, entity)
      const body = await readJsonObject(c, { optional: true })
      const input = toFireInput(c, body, words, versionWords(ctx, entity))
      const result = await fireTransition(ctx, entity, id, c.req.param('transition'), input)
      const etag = toEtag((result.record as { version?: unknown } | null)?.version)
      if (etag) c.header('ETag', etag)
      return c.json(result)
    })
    .get('/:entity/:id/approval', async (c) => {
      const { ctx, entity, id } = await target(c, deps)
      return c.json(await getApprovalView(ctx, entity, id))
    })
    .post('/:entity/:id/approval/recall', (c) => approvalAction(c, deps, 'recall'))
    .post('/:entity/:id/approval/resubmit', (c) => approvalAction(c, deps, 'resubmit'))
}

/** Recall or resubmit the record's approval, body `{ comment? }`. */
async function approvalAction(c: Context<AppEnv>, deps: AppDeps, action: 'recall' | 'resubmit') {
  const { ctx, entity, id } = await target(c, deps)
  const body = await readJsonObject(c, { optional: true })
  return c.json(await recordApprovalAction(ctx, entity, id, action, body))
}
