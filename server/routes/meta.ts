import { Hono, type Context } from 'hono'
import { PACKAGE_KIND_OF_FOLDER } from '../../metadata/package'
import { validateDefinition } from '../../metadata/validate'
import { assertPublicWebhookUrls } from '../../runtime/alerts/channels'
import { DefinitionError, NotFoundError } from '../../runtime/errors'
import { entityCapabilities } from '../../runtime/permissions'
import {
  applyDrafts,
  installPackages,
  planDrafts,
  saveDraft,
  toPackageContents,
  type MetadataSet,
} from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { readQuery, toBooleanParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { assertAdmin, requestCtx } from '../http/request-ctx'
import {
  toAlertSummary,
  toCalendarSummary,
  toPoolSummary,
  toSlaSummary,
  toEntitySummary,
  toFlowSummary,
  toReportSummary,
  toTemplateSummary,
  toDashboardSummary,
  toExtensionSummary,
  toFormSummary,
  toNavigation,
  toRoleSummary,
  toViewSummary,
} from './meta-summaries'

const KINDS = PACKAGE_KIND_OF_FOLDER
type KindSegment = keyof typeof KINDS

function kindOf(segment: string): KindSegment {
  // Own keys only: `__proto__`, `constructor` or `toString` are no kinds.
  if (Object.hasOwn(KINDS, segment)) return segment as KindSegment
  throw new NotFoundError(`Unknown metadata kind '${segment}'`, [
    { path: 'kind', message: `one of ${Object.keys(KINDS).join(', ')}` },
  ])
}

// A published definition never changes (a new version brings new objects): its JSON is written
// once, not on every request (the workspace reads definitions all the time).
const serialized = new WeakMap<object, string>()
function jsonOf(def: object): string {
  let text = serialized.get(def)
  if (text === undefined) serialized.set(def, (text = JSON.stringify(def)))
  return text
}

function definitionsOf(meta: MetadataSet, kind: KindSegment) {
  return meta[kind] as Map<string, { id: string; entity?: string }>
}

/** Reads the live metadata (lists, definitions, navigation) and edits drafts (admins). */
export function metaRoutes(deps: AppDeps): Hono<AppEnv> {
  const meta = () => deps.metadata.current()
  const list = (kind: KindSegment) => async (c: Context<AppEnv>) => {
    const unfiltered = kind === 'entities' || kind === 'dashboards' || kind === 'extensions'
    const { entity } = readQuery(c, unfiltered ? [] : ['entity'], requestLocale(c))
    const set = await meta()
    const defs = [...definitionsOf(set, kind).values()].filter(
      (d) => !entity || d.entity === entity,
    )
    if (kind === 'entities') {
      // Each entity with what this caller may do, so the workspace offers only that.
      const ctx = await requestCtx(c, deps)
      return c.json({
        data: defs.map((d) => ({
          ...toEntitySummary(d as never),
          can: entityCapabilities(ctx, d.id),
        })),
      })
    }
    const summarise = {
      forms: toFormSummary,
      views: toViewSummary,
      roles: toRoleSummary,
      alerts: toAlertSummary,
      pools: toPoolSummary,
      calendars: toCalendarSummary,
      slas: toSlaSummary,
      flows: toFlowSummary,
      reports: toReportSummary,
      templates: toTemplateSummary,
      dashboards: toDashboardSummary,
      extensions: toExtensionSummary,
    }[kind]
    return c.json({ data: defs.map((d) => summarise(d as never)) })
  }
  return (
    new Hono<AppEnv>()
      .get('/packages', async (c) => {
        readQuery(c, [], requestLocale(c))
        return c.json(toNavigation(await meta()))
      })
      // Adds or updates one package (manifest + definitions): the plan, applied with ?apply=true.
      .post('/packages', async (c) => {
        assertAdmin(c)
        const locale = requestLocale(c)
        const query = readQuery(c, ['apply', 'confirmDestructive'], locale)
        const apply = toBooleanParam('apply', query.apply, locale) === true
        const pkg = toPackageContents(await readJsonObject(c))
        const result = await installPackages(await requestCtx(c, deps), [pkg], {
          dryRun: !apply,
          confirmDestructive: toBooleanParam(
            'confirmDestructive',
            query.confirmDestructive,
            locale,
          ),
        })
        if (apply) deps.metadata.invalidate()
        return c.json({ ...result, applied: apply })
      })
      .get('/entities', list('entities'))
      .get('/forms', list('forms'))
      .get('/views', list('views'))
      .get('/roles', list('roles'))
      .get('/alerts', list('alerts'))
      .get('/pools', list('pools'))
      .get('/calendars', list('calendars'))
      .get('/slas', list('slas'))
      .get('/flows', list('flows'))
      .get('/reports', list('reports'))
      .get('/templates', list('templates'))
      .get('/dashboards', list('dashboards'))
      .get('/extensions', list('extensions'))
      .get('/:kind/:id', (c): Response | Promise<Response> => {
        readQuery(c, [], requestLocale(c))
        const kind = kindOf(c.req.param('kind'))
        const answer = (set: MetadataSet): Response => {
          const def = definitionsOf(set, kind).get(c.req.param('id'))
          if (!def) {
            throw new NotFoundError(`No ${KINDS[kind]} '${c.req.param('id')}'`, [
              { path: 'id', message: `no ${KINDS[kind]} with this id` },
            ])
          }
          return c.body(jsonOf(def), 200, { 'content-type': 'application/json' })
        }
        // The workspace reads definitions all the time: from memory, without a promise.
        const loaded = deps.metadata.peek?.()
        return loaded ? answer(loaded) : meta().then(answer)
      })
      .put('/:kind/:id', async (c) => {
        assertAdmin(c)
        const kind = kindOf(c.req.param('kind'))
        const def = await readJsonObject(c)
        if (def.id !== c.req.param('id')) {
          throw new DefinitionError('The id in the body must equal the id in the path', [
            { path: 'id', message: `must be '${c.req.param('id')}'` },
          ])
        }
        const issues = validateDefinition(KINDS[kind], def)
        if (issues.length) throw new DefinitionError(`The ${KINDS[kind]} is not valid`, issues)
        if (kind === 'alerts') assertPublicWebhookUrls(def)
        await saveDraft(await requestCtx(c, deps), KINDS[kind], def)
        return c.json({ kind: KINDS[kind], id: def.id, status: 'draft' })
      })
      .post('/plan', async (c) => {
        assertAdmin(c)
        return c.json(await planDrafts(await requestCtx(c, deps)))
      })
      .post('/apply', async (c) => {
        assertAdmin(c)
        const body = await readJsonObject(c, { optional: true })
        const confirm = body.confirmDestructive
        if (confirm !== undefined && typeof confirm !== 'boolean') {
          throw new DefinitionError('confirmDestructive must be true or false', [
            { path: 'confirmDestructive', message: 'must be a boolean' },
          ])
        }
        const result = await applyDrafts(await requestCtx(c, deps), { confirmDestructive: confirm })
        deps.metadata.invalidate()
        return c.json(result)
      })
  )
}
