import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import {
  buildMetadataSet,
  emptyDefinitions,
  type MetadataBundle,
  type MetadataSet,
} from './metadata-set'

/** Definition kinds stored in metadata_versions, and their bundle keys. */
export const BUNDLE_KINDS = {
  package: 'packages',
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
export type BundleKind = keyof typeof BUNDLE_KINDS

/** A deleted definition keeps its history; its newest row is a tombstone. */
export const TOMBSTONE = { $deleted: true }

interface VersionRow {
  kind: string
  def_id: string
  version: number
  definition: Record<string, unknown>
}

/** The newest published version of every definition, indexed. */
export async function loadPublishedMetadata(db: Db): Promise<MetadataSet> {
  const rows = await db.query<VersionRow>(sql`
    select distinct on (kind, def_id) kind, def_id, version, definition
    from metadata_versions order by kind, def_id, version desc`)
  const bundle: MetadataBundle = { packages: [], ...emptyDefinitions() }
  for (const row of rows) {
    const key = BUNDLE_KINDS[row.kind as BundleKind]
    if (!key || row.definition.$deleted) continue
    // A package's version is its own semver; other kinds carry the published version number.
    const def =
      row.kind === 'package' ? row.definition : { ...row.definition, version: row.version }
    ;(bundle[key] as unknown[]).push(def)
  }
  return buildMetadataSet(bundle, await readMetadataVersion(db))
}

/** The global metadata version: bumped by every apply. 0 before the first. */
export async function readMetadataVersion(db: Db): Promise<number> {
  const [row] = await db.query<{ v: number | null }>(
    sql`select max(metadata_version) as v from schema_migrations`,
  )
  return Number(row?.v ?? 0)
}

/** Each definition's newest version number, to version the next publish. */
export async function readDefinitionVersions(db: Db): Promise<Map<string, number>> {
  const rows = await db.query<{ kind: string; def_id: string; v: number }>(
    sql`select kind, def_id, max(version) as v from metadata_versions group by kind, def_id`,
  )
  return new Map(rows.map((r) => [`${r.kind}:${r.def_id}`, Number(r.v)]))
}
