import type { MetadataBundleShape } from './bundle'
import { isListOnForm } from './extend-forms'
import type { RelatedList } from './form'
import { toIssue, type MetadataIssue } from './issue'
import { PACKAGE_KIND_OF_FOLDER, type PackageManifest } from './package'

type DefinitionKey = keyof typeof PACKAGE_KIND_OF_FOLDER
type Member = { id: string; module?: string; entity?: string }

const DEFINITION_KEYS = Object.keys(PACKAGE_KIND_OF_FOLDER) as DefinitionKey[]

/**
 * The package a definition belongs to: its `module`, else (forms and views saved before they
 * named one) the module of their entity. Undefined: made over the API, no package.
 */
export function packageOf(
  key: DefinitionKey,
  def: Member,
  entityModules: ReadonlyMap<string, string | undefined>,
): string | undefined {
  if (def.module) return def.module
  if ((key === 'forms' || key === 'views') && def.entity) return entityModules.get(def.entity)
  return undefined
}

/**
 * Package `id` and every package it depends on, directly or through another (a dependency
 * missing from `packages` is named but brings nothing: it is reported on its own).
 * @example dependencyClosure('service', packages) // Set { 'service', 'customer' }
 */
export function dependencyClosure(
  id: string,
  packages: ReadonlyMap<string, PackageManifest>,
): Set<string> {
  const seen = new Set<string>()
  const visit = (at: string) => {
    if (seen.has(at)) return
    seen.add(at)
    for (const dep of Object.keys(packages.get(at)?.dependencies ?? {})) visit(dep)
  }
  visit(id)
  return seen
}

interface Ownership {
  packages: ReadonlyMap<string, PackageManifest>
  entityModules: ReadonlyMap<string, string | undefined>
}

/**
 * The related lists of package `id`'s forms that show records of a package depending on `id`,
 * with their paths: they resolve while that package is installed, but `id` installed alone would
 * lack them, so a package adds such a list with an extension instead.
 */
function dependentLists(
  bundle: MetadataBundleShape,
  id: string,
  own: Ownership,
): { path: string; entity: string; owner: string; form: string; list: RelatedList }[] {
  return bundle.forms
    .filter((form) => packageOf('forms', form, own.entityModules) === id)
    .flatMap((form) =>
      (form.relatedLists ?? []).flatMap((list, i) => {
        const owner = own.entityModules.get(list.entity)
        if (!owner || owner === id || !dependencyClosure(owner, own.packages).has(id)) return []
        const path = `forms[${form.id}].relatedLists[${i}].entity`
        return [{ path, entity: list.entity, owner, form: form.id, list }]
      }),
    )
}

/**
 * What a package sees of a bundle: the definitions of `visible`'s packages and of none (made over
 * the API), plus `entities` (those its forms list records of, see `dependentLists`).
 */
function scopeOf(
  bundle: MetadataBundleShape,
  visible: ReadonlySet<string>,
  entities: ReadonlySet<string>,
  own: Ownership,
): MetadataBundleShape {
  const scope = { ...bundle, packages: bundle.packages.filter((p) => visible.has(p.id)) }
  for (const key of DEFINITION_KEYS) {
    const defs = bundle[key] as Member[] | undefined
    // Kept undefined: a bundle without the kind is not checked for it.
    if (!defs) continue
    ;(scope[key] as Member[]) = defs.filter((def) => {
      if (key === 'entities' && entities.has(def.id)) return true
      // A definition made over the API belongs to the instance, not to another package; one
      // naming a package the bundle lacks is reported at its `module` already.
      const owner = packageOf(key, def, own.entityModules)
      return owner === undefined || visible.has(owner) || !own.packages.has(owner)
    })
  }
  return scope
}

/** The `kind[id]` prefixes of the definitions package `id` ships. */
function ownPrefixes(
  bundle: MetadataBundleShape,
  id: string,
  entityModules: ReadonlyMap<string, string | undefined>,
): string[] {
  return DEFINITION_KEYS.flatMap((key) =>
    ((bundle[key] ?? []) as Member[])
      .filter((def) => packageOf(key, def, entityModules) === id)
      .map((def) => `${key}[${def.id}]`),
  )
}

const startsWithin = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}.`)

/** Said after an issue only the package's own scope has. */
const outOfScope = (id: string, hint = '') =>
  `in package '${id}' or the packages it depends on (a package names only what it or its ` +
  `dependencies ship${hint})`

/**
 * What a package's definitions name that only another package, one it does not depend on, ships:
 * the package would break installed alone, or when that other package changes. One exception: a
 * form may hold a list of the records of a package that depends on its own, as forms published
 * before extensions did (customer 1.0.0 listed quotes); a package being installed may not ship
 * one, see `validateDependentLists`. `check` finds a bundle's dangling references; `found` are those it found in the whole bundle,
 * not repeated here.
 * @example validatePackageScopes(bundle, check, check(bundle))
 * // [{ path: 'flows[expenseClaimApproval]…approvers[0].role', message: "no role 'finance' in …" }]
 */
export function validatePackageScopes(
  bundle: MetadataBundleShape,
  check: (bundle: MetadataBundleShape) => MetadataIssue[],
  found: readonly MetadataIssue[],
): MetadataIssue[] {
  const own: Ownership = {
    packages: new Map(bundle.packages.map((p) => [p.id, p])),
    entityModules: new Map(bundle.entities.map((e) => [e.id, e.module])),
  }
  const known = new Set(found.map((i) => `${i.path}\n${i.message}`))
  return bundle.packages.flatMap(({ id }) => {
    const prefixes = ownPrefixes(bundle, id, own.entityModules)
    if (!prefixes.length) return []
    const visible = dependencyClosure(id, own.packages)
    // Seeing every package, it sees the whole bundle: nothing to add to `found`.
    if (bundle.packages.every((p) => visible.has(p.id))) return []
    const listed = new Set(dependentLists(bundle, id, own).map((l) => l.entity))
    const scope = scopeOf(bundle, visible, listed, own)
    return check(scope)
      .filter((i) => !known.has(`${i.path}\n${i.message}`))
      .filter((i) => prefixes.some((prefix) => startsWithin(i.path, prefix)))
      .map((i) => toIssue(i.path, `${i.message} ${outOfScope(id)}`))
  })
}

/**
 * The related lists that the forms of packages `ids` (being installed) newly give over the records
 * of a package depending on theirs: installed alone, the package would lack them; the package that
 * ships the records adds the list with an extension. Not refused: a list the form held in
 * `installed` (published before extensions; `trellis export` writes it back so), or one an
 * extension of the bundle adds (`isListOnForm`: a form saved from the API holds its lists).
 * @example validateDependentLists(bundle, ['customer'])
 * // [{ path: 'forms[customer].relatedLists[3].entity', message: "no entity 'quote' in package …" }]
 */
export function validateDependentLists(
  bundle: MetadataBundleShape,
  ids: readonly string[],
  installed?: Pick<MetadataBundleShape, 'forms'>,
): MetadataIssue[] {
  const own: Ownership = {
    packages: new Map(bundle.packages.map((p) => [p.id, p])),
    entityModules: new Map(bundle.entities.map((e) => [e.id, e.module])),
  }
  const held = (formId: string, list: RelatedList) => {
    const before = installed?.forms.find((f) => f.id === formId)
    if (before && isListOnForm(before, list)) return true
    const form = { ...bundle.forms.find((f) => f.id === formId)!, relatedLists: [list] }
    return (bundle.extensions ?? []).some(
      (x) => x.form === formId && (x.relatedLists ?? []).some((l) => isListOnForm(form, l)),
    )
  }
  return ids.flatMap((id) =>
    dependentLists(bundle, id, own)
      .filter(({ form, list }) => !held(form, list))
      .map(({ path, entity, owner, form }) =>
        toIssue(
          path,
          `no entity '${entity}' ${outOfScope(
            id,
            `; package '${owner}' ships it and can add the list to form '${form}' with an extension`,
          )}`,
        ),
      ),
  )
}
