import { Hono, type Context } from 'hono'
import type { Rule } from '../../metadata/rule'
import {
  copyRecord,
  createRecord,
  deleteRecord,
  getRecord,
  getRecordHistory,
  listRecords,
  notARecordId,
  previewRecord,
  updateRecord,
  versionWords,
} from '../../runtime/records'
import { requireEntity } from '../../runtime/registry'
import { recordCapabilities } from '../../runtime/sharing'
import type { AppDeps, AppEnv } from '../app-deps'
import { expectedVersion, toEtag } from '../http/expected-version'
import { readJsonObject } from '../http/json-body'
import { readQuery, toBooleanParam, toJsonParam, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'

const LIST_PARAMS = ['filter', 'sort', 'limit', 'cursor', 'count'] as const
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The runtime context plus the entity and record id named by the path (404 naming them). */
async function target(c: Context<AppEnv>, deps: AppDeps, withId: boolean) {
  const ctx = await requestCtx(c, deps)
  const entity = c.req.param('entity') ?? ''
  requireEntity(ctx.meta, entity, ctx.user?.locale)
  const id = c.req.param('id') ?? ''
  if (withId && !UUID.test(id)) {
    throw notARecordId(ctx, entity, id)
  }
  return { ctx, entity, id }
}

function withEtag(c: Context, record: unknown): void {
  const etag = toEtag((record as { version?: unknown } | null)?.version)
  if (etag) c.header('ETag', etag)
}

/** Records of one entity: list, create, read, patch, delete, history. */
export function dataRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/:entity', async (c) => {
      const locale = requestLocale(c)
      const q = readQuery(c, LIST_PARAMS, locale)
      const { ctx, entity } = await target(c, deps, false)
      const page = await listRecords(ctx, entity, {
        filter: toJsonParam('filter', q.filter, locale) as Rule | undefined,
        sort: q.sort,
        limit: toPositiveIntParam('limit', q.limit, locale),
        cursor: q.cursor,
        count: toBooleanParam('count', q.count, locale),
      })
      return c.json(page)
    })
    .post('/:entity', async (c) => {
      readQuery(c, [], requestLocale(c))
      const { ctx, entity } = await target(c, deps, false)
      const input = await readJsonObject(c)
      const { record, warnings } = await createRecord(ctx, entity, input)
      withEtag(c, record)
      return c.json(warnings?.length ? { ...record, warnings } : record, 201)
    })
    .post('/:entity/preview', async (c) => {
      // What a save would fill (latestFrom) for a draft, so a form shows it before saving.
      readQuery(c, [], requestLocale(c))
      const { ctx, entity } = await target(c, deps, false)
      return c.json(await previewRecord(ctx, entity, await readJsonObject(c)))
    })
    .get('/:entity/:id', async (c) => {
      const locale = requestLocale(c)
      const q = readQuery(c, ['related', 'can'], locale)
      const related = toBooleanParam('related', q.related, locale)
      const { ctx, entity, id } = await target(c, deps, true)
      const record = await getRecord(ctx, entity, id, { related })
      withEtag(c, record)
      // Asked for by the workspace, which offers only what the caller may do with the record.
      if (!toBooleanParam('can', q.can, locale)) return c.json(record)
      return c.json({ ...record, can: await recordCapabilities(ctx, entity, id) })
    })
    .post('/:entity/:id/copy', async (c) => {
      // A new record from this one (a quote copied as a new draft with its lines).
      readQuery(c, [], requestLocale(c))
      const { ctx, entity, id } = await target(c, deps, true)
      const { record, warnings } = await copyRecord(ctx, entity, id)
      withEtag(c, record)
      return c.json(warnings?.length ? { ...record, warnings } : record, 201)
    })
    .patch('/:entity/:id', async (c) => {
      readQuery(c, [], requestLocale(c))
      const { ctx, entity, id } = await target(c, deps, true)
      const body = await readJsonObject(c)
      const version = expectedVersion(c, versionWords(ctx, entity), body)
      const { version: _version, ...patch } = body
      const { record, warnings } = await updateRecord(ctx, entity, id, patch, version)
      withEtag(c, record)
      return c.json(warnings?.length ? { ...record, warnings } : record)
    })
    .delete('/:entity/:id', async (c) => {
      readQuery(c, [], requestLocale(c))
      const { ctx, entity, id } = await target(c, deps, true)
      await deleteRecord(ctx, entity, id, expectedVersion(c, versionWords(ctx, entity)))
      return c.body(null, 204)
    })
    .get('/:entity/:id/history', async (c) => {
      readQuery(c, [], requestLocale(c))
      const { ctx, entity, id } = await target(c, deps, true)
      const history = await getRecordHistory(ctx, entity, id)
      return c.json(Array.isArray(history) ? { data: history } : history)
    })
}
