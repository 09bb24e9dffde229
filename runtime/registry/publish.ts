import { sql } from 'drizzle-orm'
import { validateReferences } from '../../metadata/references'
import { validateDefinition } from '../../metadata/validate'
import { syncAlertTimers } from '../alerts/alert-timers'
import type { Ctx } from '../context'
import { ConflictError, DefinitionError, type Issue } from '../errors'
import { backfillComputed, staleComputedEntities } from '../records/backfill-computed'
import {
  applySchemaPlan,
  buildSchemaPlan,
  checkPhysicalNames,
  listExistingObjects,
  SCHEMA_LOCK_KEY,
  type SchemaPlan,
} from '../schema'
import {
  BUNDLE_KINDS,
  TOMBSTONE,
  loadPublishedMetadata,
  readDefinitionVersions,
  type BundleKind,
} from './published'
import { canonicalJson, diffBundles, toComparableBody, type DefinitionChange } from './bundle-diff'
import type { MetadataBundle, MetadataSet } from './metadata-set'
import { validateRollupFilters } from './rollup-filters'

export type PublishCtx = Omit<Ctx, 'meta'>

export interface PublishOptions {
  /** Destructive steps (drops, type changes) are refused unless confirmed. */
  confirmDestructive?: boolean
  /** Only compute the plan. */
  dryRun?: boolean
  /** Runs inside the same transaction after the versions are recorded. */
  afterApply?: (db: PublishCtx['db']) => Promise<void>
}

/**
 * Every problem of a whole bundle: each definition against its schema, then every reference, then
 * names that would clash once snake_cased in the database and roll-up filters SQL cannot run.
 */
export function validateBundle(bundle: MetadataBundle): Issue[] {
  const issues: Issue[] = []
  for (const [kind, key] of Object.entries(BUNDLE_KINDS) as [BundleKind, keyof MetadataBundle][]) {
    for (const def of (bundle[key] ?? []) as { id?: string }[]) {
      for (const issue of validateDefinition(kind, def))
        issues.push({
          path: `${key}[${def.id ?? '?'}].${issue.path}`.replace(/\.$/, ''),
          message: issue.message,
        })
    }
  }
  if (issues.length) return issues
  const references = validateReferences(bundle)
  if (references.length) return references
  return [...checkPhysicalNames(bundle.entities), ...validateRollupFilters(bundle.entities)]
}

/** The bundle to publish, or how to build it from the published one (read under the lock). */
export type BundleSource = MetadataBundle | ((published: MetadataBundle) => MetadataBundle)

function assertValidBundle(bundle: MetadataBundle): void {
  const issues = validateBundle(bundle)
  if (issues.length) throw new DefinitionError('The metadata is not valid', issues)
}

/**
 * Makes `bundle` the published metadata: validates it, plans the schema change, applies it and
 * records the new definition versions — all in one transaction, serialised by an advisory lock.
 * Also answers which definitions change.
 */
export async function publishMetadata(
  ctx: PublishCtx,
  source: BundleSource,
  options: PublishOptions = {},
): Promise<{ plan: SchemaPlan; meta: MetadataSet; changes: DefinitionChange[] }> {
  if (typeof source !== 'function') assertValidBundle(source)
  let changes: DefinitionChange[] = []
  let stale: string[] = []
  const plan = await ctx.db.transaction(async (db) => {
    await db.query(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`)
    const current = await loadPublishedMetadata(db)
    const bundle = typeof source === 'function' ? source(current.bundle) : source
    if (typeof source === 'function') assertValidBundle(bundle)
    changes = diffBundles(current.bundle, bundle)
    const { plan, steps } = buildSchemaPlan(
      current.bundle.entities,
      bundle.entities,
      await listExistingObjects(db),
    )
    if (options.dryRun) return plan
    stale = staleComputedEntities(current.bundle.entities, bundle.entities)
    if (plan.destructive && !options.confirmDestructive) {
      throw new ConflictError(
        'The plan has destructive steps: confirm them to apply',
        plan.steps
          .filter((s) => s.destructive)
          .map((s) => ({
            path: s.field ? `${s.entity}.${s.field}` : s.entity,
            message: s.description,
          })),
      )
    }
    // Rows already there may refuse a step (duplicates under a unique index): a 409 names it.
    await applySchemaPlan(db, steps)
    const version = current.version + 1
    await recordVersions(db, ctx, current.bundle, bundle)
    // Schedule alerts move to their next run; new or changed date alerts plan existing records.
    await syncAlertTimers(db, current.bundle.alerts ?? [], bundle.alerts ?? [], ctx.clock.now())
    await options.afterApply?.(db)
    await db.query(
      sql`insert into schema_migrations (applied_by, steps, metadata_version) values (${ctx.user?.id ?? null}, ${JSON.stringify(plan.steps)}::jsonb, ${version})`,
    )
    return plan
  })
  const meta = await loadPublishedMetadata(ctx.db)
  // After the commit, in short batches: existing rows get new or changed computed values. The
  // change is published whatever happens here, so a failed fill is logged, not answered as an error
  // (the rows it missed are computed again at their next write).
  if (stale.length) {
    await backfillComputed({ ...ctx, meta }, stale).catch((err: unknown) =>
      ctx.log.error({ err, fields: stale.length }, 'filling computed fields after publish failed'),
    )
  }
  return { plan, changes, meta }
}

async function recordVersions(
  db: PublishCtx['db'],
  ctx: PublishCtx,
  before: MetadataBundle,
  next: MetadataBundle,
): Promise<void> {
  const versions = await readDefinitionVersions(db)
  const write = async (kind: string, id: string, definition: unknown) => {
    const version = (versions.get(`${kind}:${id}`) ?? 0) + 1
    await db.query(
      sql`insert into metadata_versions (kind, def_id, version, definition, published_by) values (${kind}, ${id}, ${version}, ${JSON.stringify(definition)}::jsonb, ${ctx.user?.id ?? null})`,
    )
  }
  for (const [kind, key] of Object.entries(BUNDLE_KINDS) as [BundleKind, keyof MetadataBundle][]) {
    const old = new Map(
      ((before[key] ?? []) as { id: string; version?: unknown }[]).map((d) => [d.id, d]),
    )
    const nextIds = new Set<string>()
    // Published version numbers are not part of a definition's body (a package's semver is).
    const strip = (def: { id: string; version?: unknown }) => toComparableBody(kind, def)
    for (const def of (next[key] ?? []) as { id: string; version?: number }[]) {
      nextIds.add(def.id)
      const body = strip(def)
      const prev = old.get(def.id)
      if (prev) {
        const prevBody = strip(prev)
        if (canonicalJson(prevBody) === canonicalJson(body)) continue
      }
      await write(kind, def.id, body)
    }
    for (const id of old.keys()) if (!nextIds.has(id)) await write(kind, id, TOMBSTONE)
  }
}
