import { PACKAGE_KIND_OF_FOLDER, type PackageManifest } from '../../metadata/package'
import { packageOf, validateDependentLists } from '../../metadata/package-scope'
import { DefinitionError, type Issue } from '../errors'
import { emptyDefinitions, type MetadataBundle } from './metadata-set'

/** One package as a folder or an API body carries it: its manifest and its definitions. */
export interface PackageContents {
  manifest: PackageManifest
  entities: MetadataBundle['entities']
  forms: MetadataBundle['forms']
  views: MetadataBundle['views']
  roles: NonNullable<MetadataBundle['roles']>
  /** Optional: packages made before alerts were a kind carry none. */
  alerts?: NonNullable<MetadataBundle['alerts']>
  /** Optional: packages made before pools were a kind carry none. */
  pools?: NonNullable<MetadataBundle['pools']>
  /** Optional: packages made before calendars were a kind carry none. */
  calendars?: NonNullable<MetadataBundle['calendars']>
  /** Optional: packages made before service levels were a kind carry none. */
  slas?: NonNullable<MetadataBundle['slas']>
  /** Optional: packages made before flows were a kind carry none. */
  flows?: NonNullable<MetadataBundle['flows']>
  /** Optional: packages made before reports were a kind carry none. */
  reports?: NonNullable<MetadataBundle['reports']>
  /** Optional: packages made before templates were a kind carry none. */
  templates?: NonNullable<MetadataBundle['templates']>
  /** Optional: packages made before dashboards were a kind carry none. */
  dashboards?: NonNullable<MetadataBundle['dashboards']>
  /** Optional: packages made before extensions were a kind carry none. */
  extensions?: NonNullable<MetadataBundle['extensions']>
}

/** The definition kinds a package holds, by bundle key. */
export type PackageKind = keyof typeof PACKAGE_KIND_OF_FOLDER
export const PACKAGE_KINDS = Object.keys(PACKAGE_KIND_OF_FOLDER) as PackageKind[]

type Member = { id: string; module?: string; entity?: string }

/** The package a published definition belongs to (see metadata/package-scope). */
export { packageOf }

/**
 * Gives every definition of a package its `module` (files inside a package folder belong to it).
 * A definition naming another package is an issue at `<kind>[<id>].module`.
 */
export function assignPackage(pkg: PackageContents): { pkg: PackageContents; issues: Issue[] } {
  const issues: Issue[] = []
  const id = pkg.manifest.id
  const stamp = <T extends Member>(kind: PackageKind, defs: T[]): T[] =>
    defs.map((def) => {
      if (def.module && def.module !== id)
        issues.push({
          path: `${kind}[${def.id}].module`,
          message: `is '${def.module}' but the definition sits in package '${id}'`,
        })
      return def.module ? def : { ...def, module: id }
    })
  const out: PackageContents = {
    manifest: pkg.manifest,
    entities: stamp('entities', pkg.entities),
    forms: stamp('forms', pkg.forms),
    views: stamp('views', pkg.views),
    roles: stamp('roles', pkg.roles),
    alerts: stamp('alerts', pkg.alerts ?? []),
    pools: stamp('pools', pkg.pools ?? []),
    calendars: stamp('calendars', pkg.calendars ?? []),
    slas: stamp('slas', pkg.slas ?? []),
    flows: stamp('flows', pkg.flows ?? []),
    reports: stamp('reports', pkg.reports ?? []),
    templates: stamp('templates', pkg.templates ?? []),
    dashboards: stamp('dashboards', pkg.dashboards ?? []),
    extensions: stamp('extensions', pkg.extensions ?? []),
  }
  return { pkg: out, issues }
}

/**
 * The bundle an instance gets when `packages` are installed over `installed`: each given package
 * replaces what that package brought before (a definition it no longer ships goes); every other
 * package and every definition made over the API stays as it is. Pure.
 * @example mergePackages(published.bundle, [customerV2]) // order, service, hr-admin untouched
 */
export function mergePackages(
  installed: MetadataBundle,
  packages: PackageContents[],
): MetadataBundle {
  const issues: Issue[] = []
  const given = new Set(packages.map((p) => p.manifest.id))
  const entityModules = new Map(installed.entities.map((e) => [e.id, e.module]))
  const next: MetadataBundle = {
    packages: [
      ...installed.packages.filter((p) => !given.has(p.id)),
      ...packages.map((p) => p.manifest),
    ],
    ...emptyDefinitions(),
  }
  for (const kind of PACKAGE_KINDS) {
    const incoming = new Map<string, string>()
    for (const p of packages) for (const def of p[kind] ?? []) incoming.set(def.id, p.manifest.id)
    const kept = ((installed[kind] ?? []) as Member[]).filter((def) => {
      const owner = packageOf(kind, def, entityModules)
      if (owner && given.has(owner)) return false
      const claimant = incoming.get(def.id)
      if (claimant && owner)
        issues.push({
          path: `${kind}[${def.id}]`,
          message: `package '${claimant}' cannot ship it: package '${owner}' has it installed`,
        })
      // A definition made over the API is taken over by the package that now ships it.
      return !claimant
    })
    ;(next[kind] as Member[]) = [...kept, ...packages.flatMap((p) => (p[kind] ?? []) as Member[])]
  }
  issues.push(...missingDependencies(next, packages))
  // A package ships no list of a dependent package's records (installed alone it would lack them).
  issues.push(...validateDependentLists(next, [...given], installed))
  if (issues.length) throw new DefinitionError('The packages cannot be installed', issues)
  return next
}

function missingDependencies(bundle: MetadataBundle, packages: PackageContents[]): Issue[] {
  const installed = new Set(bundle.packages.map((p) => p.id))
  return packages.flatMap((p) =>
    Object.keys(p.manifest.dependencies ?? {})
      .filter((dep) => !installed.has(dep))
      .map((dep) => ({
        path: `packages[${p.manifest.id}].dependencies.${dep}`,
        message: `package '${dep}' is not installed and not given`,
      })),
  )
}

/**
 * Splits a bundle into its packages, in the bundle's order; definitions of no package (made
 * over the API) come back apart. The inverse of `mergePackages` over an empty instance.
 */
export function splitPackages(bundle: MetadataBundle): {
  packages: PackageContents[]
  unpackaged: Omit<PackageContents, 'manifest'>
} {
  const entityModules = new Map(bundle.entities.map((e) => [e.id, e.module]))
  const empty = emptyDefinitions
  const byId = new Map<string, PackageContents>(
    bundle.packages.map((manifest) => [manifest.id, { manifest, ...empty() }]),
  )
  const unpackaged: Omit<PackageContents, 'manifest'> = empty()
  for (const kind of PACKAGE_KINDS) {
    for (const def of (bundle[kind] ?? []) as Member[]) {
      const owner = packageOf(kind, def, entityModules)
      const target = (owner && byId.get(owner)) || unpackaged
      ;(target[kind] as Member[]).push(def)
    }
  }
  return { packages: [...byId.values()], unpackaged }
}
