import { sql } from 'drizzle-orm'
import { validateDefinition } from '../../metadata/validate'
import { DefinitionError, ForbiddenError } from '../errors'
import { loadPublishedMetadata } from './published'
import { publishMetadata, type PublishCtx } from './publish'
import type { MetadataBundle } from './metadata-set'
import type { SchemaPlan } from '../schema'

/** The kinds the API edits as drafts, by their URL segment. */
export const DRAFT_KINDS = {
  entities: 'entity',
  forms: 'form',
  views: 'view',
  roles: 'role',
  alerts: 'alert',
  pools: 'pool',
  calendars: 'calendar',
  slas: 'sla',
  flows: 'flow',
  reports: 'report',
  templates: 'template',
  dashboards: 'dashboard',
  extensions: 'extension',
} as const
export type DraftKind = (typeof DRAFT_KINDS)[keyof typeof DRAFT_KINDS]

const bundleKey = {
  entity: 'entities',
  form: 'forms',
  view: 'views',
  role: 'roles',
  alert: 'alerts',
  pool: 'pools',
  calendar: 'calendars',
  sla: 'slas',
  flow: 'flows',
  report: 'reports',
  template: 'templates',
  dashboard: 'dashboards',
  extension: 'extensions',
} as const

function assertAdmin(ctx: PublishCtx): void {
  if (!ctx.user?.isAdmin) throw new ForbiddenError('Only administrators change metadata')
}

/** Saves a definition as an unpublished draft after checking it against its schema. */
export async function saveDraft(ctx: PublishCtx, kind: DraftKind, def: unknown): Promise<void> {
  assertAdmin(ctx)
  const issues = validateDefinition(kind, def)
  if (issues.length) throw new DefinitionError(`The ${kind} definition is not valid`, issues)
  const id = (def as { id: string }).id
  await ctx.db.query(sql`
    insert into metadata_drafts (kind, def_id, definition, updated_by) values (${kind}, ${id}, ${JSON.stringify(def)}::jsonb, ${ctx.user?.id ?? null})
    on conflict (kind, def_id) do update set definition = excluded.definition, updated_at = now(), updated_by = excluded.updated_by`)
}

/** The published bundle with every draft laid over it. */
export async function loadDraftBundle(ctx: PublishCtx): Promise<MetadataBundle> {
  const published = await loadPublishedMetadata(ctx.db)
  const drafts = await ctx.db.query<{
    kind: DraftKind
    def_id: string
    definition: { id: string }
  }>(sql`select kind, def_id, definition from metadata_drafts order by kind, def_id`)
  const bundle: MetadataBundle = {
    ...published.bundle,
    entities: [...published.bundle.entities],
    forms: [...published.bundle.forms],
    views: [...published.bundle.views],
    roles: [...(published.bundle.roles ?? [])],
    alerts: [...(published.bundle.alerts ?? [])],
    pools: [...(published.bundle.pools ?? [])],
    calendars: [...(published.bundle.calendars ?? [])],
    slas: [...(published.bundle.slas ?? [])],
    flows: [...(published.bundle.flows ?? [])],
    reports: [...(published.bundle.reports ?? [])],
    templates: [...(published.bundle.templates ?? [])],
    dashboards: [...(published.bundle.dashboards ?? [])],
    extensions: [...(published.bundle.extensions ?? [])],
  }
  for (const draft of drafts) {
    const list = bundle[bundleKey[draft.kind]] as { id: string }[]
    const at = list.findIndex((d) => d.id === draft.def_id)
    if (at >= 0) list[at] = draft.definition
    else list.push(draft.definition)
  }
  return bundle
}

/** What applying the drafts would change, without changing anything. */
export async function planDrafts(ctx: PublishCtx): Promise<SchemaPlan> {
  assertAdmin(ctx)
  const { plan } = await publishMetadata(ctx, await loadDraftBundle(ctx), { dryRun: true })
  return plan
}

/** Publishes the drafts (schema change + versions) and clears them. */
export async function applyDrafts(
  ctx: PublishCtx,
  options: { confirmDestructive?: boolean } = {},
): Promise<{ plan: SchemaPlan; version: number }> {
  assertAdmin(ctx)
  const { plan, meta } = await publishMetadata(ctx, await loadDraftBundle(ctx), {
    ...options,
    afterApply: async (db) => void (await db.query(sql`delete from metadata_drafts`)),
  })
  return { plan, version: meta.version }
}
