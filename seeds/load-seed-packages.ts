import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Alert } from '../metadata/alert'
import type { Calendar } from '../metadata/calendar'
import type { Entity } from '../metadata/entity'
import type { Extension } from '../metadata/extension'
import type { Flow } from '../metadata/flow'
import type { Form } from '../metadata/form'
import type { PackageManifest } from '../metadata/package'
import type { Pool } from '../metadata/pool'
import type { Dashboard } from '../metadata/dashboard'
import type { Report } from '../metadata/report'
import type { Role } from '../metadata/role'
import type { Sla } from '../metadata/sla'
import type { Template } from '../metadata/template'
import type { View } from '../metadata/view'
import { assignPackage, type MetadataBundle } from '../runtime/registry'

/** The shipped module folders, in dependency order (a module comes after what it depends on). */
export const SEED_MODULE_DIRS = ['customer', 'order', 'service', 'hr-admin'] as const

/** One shipped module as read from its folder; `dir` is the folder's absolute path. */
export interface SeedPackage {
  manifest: PackageManifest
  entities: Entity[]
  forms: Form[]
  views: View[]
  roles: Role[]
  alerts: Alert[]
  pools: Pool[]
  calendars: Calendar[]
  slas: Sla[]
  flows: Flow[]
  templates: Template[]
  reports: Report[]
  dashboards: Dashboard[]
  extensions: Extension[]
  dir: string
}

const SEEDS_DIR = dirname(fileURLToPath(import.meta.url))

/** Reads a definition file and drops its `$schema` line, which is for editors only. */
function readDefinition<T>(file: string): T {
  const { $schema: _schema, ...definition } = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    unknown
  >
  return definition as T
}

function readKind<T>(dir: string, kind: string): T[] {
  const folder = join(dir, kind)
  if (!existsSync(folder)) return []
  return (
    readdirSync(folder)
      // `*.scenarios.json` beside flows are test scenarios, not definitions.
      .filter((name) => name.endsWith('.json') && !name.endsWith('.scenarios.json'))
      .sort()
      .map((name) => readDefinition<T>(join(folder, name)))
  )
}

/** Sidebar order first, each child entity right after its parent, so parents precede children. */
function orderEntities(entities: Entity[], navigation: string[] = []): Entity[] {
  const rank = (e: Entity): number => {
    const own = navigation.indexOf(e.childOf ?? e.id)
    return (own < 0 ? navigation.length : own) * 2 + (e.childOf ? 1 : 0)
  }
  return [...entities].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
}

/**
 * Reads one module folder (synchronously). Each definition gets the module's id as its `module`,
 * so an instance knows which package brought it (and what a later version replaces).
 */
export function loadSeedPackage(dir: string): SeedPackage {
  const manifest = readDefinition<PackageManifest>(join(dir, 'manifest.json'))
  const { pkg, issues } = assignPackage({
    manifest,
    entities: orderEntities(readKind<Entity>(dir, 'entities'), manifest.navigation),
    forms: readKind<Form>(dir, 'forms'),
    views: readKind<View>(dir, 'views'),
    roles: readKind<Role>(dir, 'roles'),
    alerts: readKind<Alert>(dir, 'alerts'),
    pools: readKind<Pool>(dir, 'pools'),
    calendars: readKind<Calendar>(dir, 'calendars'),
    slas: readKind<Sla>(dir, 'slas'),
    flows: readKind<Flow>(dir, 'flows'),
    templates: readKind<Template>(dir, 'templates'),
    reports: readKind<Report>(dir, 'reports'),
    dashboards: readKind<Dashboard>(dir, 'dashboards'),
    extensions: readKind<Extension>(dir, 'extensions'),
  })
  if (issues.length) throw new Error(`${dir}: ${issues[0].path} ${issues[0].message}`)
  return {
    ...pkg,
    alerts: pkg.alerts ?? [],
    pools: pkg.pools ?? [],
    calendars: pkg.calendars ?? [],
    slas: pkg.slas ?? [],
    flows: pkg.flows ?? [],
    templates: pkg.templates ?? [],
    reports: pkg.reports ?? [],
    dashboards: pkg.dashboards ?? [],
    extensions: pkg.extensions ?? [],
    dir,
  }
}

/**
 * Reads the four shipped modules from `seeds/`, in dependency order.
 * @example loadSeedPackages().map((p) => p.manifest.id) // ['customer', 'order', 'service', 'hr-admin']
 */
export function loadSeedPackages(): SeedPackage[] {
  return SEED_MODULE_DIRS.map((name) => loadSeedPackage(join(SEEDS_DIR, name)))
}

/** All shipped modules merged into one bundle, ready for `buildMetadataSet` or a schema plan. */
export function loadSeedBundle(): MetadataBundle {
  const packages = loadSeedPackages()
  return {
    packages: packages.map((p) => p.manifest),
    entities: packages.flatMap((p) => p.entities),
    forms: packages.flatMap((p) => p.forms),
    views: packages.flatMap((p) => p.views),
    roles: packages.flatMap((p) => p.roles),
    alerts: packages.flatMap((p) => p.alerts),
    pools: packages.flatMap((p) => p.pools),
    calendars: packages.flatMap((p) => p.calendars),
    slas: packages.flatMap((p) => p.slas),
    flows: packages.flatMap((p) => p.flows),
    templates: packages.flatMap((p) => p.templates),
    reports: packages.flatMap((p) => p.reports),
    dashboards: packages.flatMap((p) => p.dashboards),
    extensions: packages.flatMap((p) => p.extensions),
  }
}
