import type { Extension } from './extension'
import type { Form, RelatedList } from './form'
import type { PackageManifest } from './package'

/** How deep a package sits under what it depends on: 0 without dependencies. Cycle-safe. */
function depthOf(
  id: string,
  packages: ReadonlyMap<string, PackageManifest>,
  seen = new Set<string>(),
): number {
  if (seen.has(id)) return 0
  seen.add(id)
  const deps = Object.keys(packages.get(id)?.dependencies ?? {})
  return deps.length ? 1 + Math.max(...deps.map((dep) => depthOf(dep, packages, new Set(seen)))) : 0
}

/**
 * Extensions in the order they apply: a package's after those of the packages it depends on,
 * then by package id and id; those of no package (made over the API) last. The order does not
 * depend on the order packages were installed in, so an upgrade leaves the form as it was.
 * @example orderExtensions([serviceOnCustomer, orderOnCustomer], packages) // order's, then service's
 */
export function orderExtensions(
  extensions: readonly Extension[],
  packages: ReadonlyMap<string, PackageManifest>,
): Extension[] {
  const key = (e: Extension) => [
    e.module === undefined ? Infinity : depthOf(e.module, packages),
    e.module ?? '',
    e.id,
  ]
  return [...extensions].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)]
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1
    return 0
  })
}

/**
 * Whether the form already holds an extension's related list: the same id over the same entity
 * and reference field. A form published before its lists moved to an extension (customer 1.0.0
 * listed quotes itself) holds them so, perhaps with an administrator's columns or label: that copy
 * stays where it is and the extension does not add the list twice.
 * @example isListOnForm(oldCustomerForm, quotes) // true
 */
export function isListOnForm(form: Form, list: RelatedList): boolean {
  return (form.relatedLists ?? []).some(
    (own) => own.id === list.id && own.entity === list.entity && own.field === list.field,
  )
}

/**
 * The form with `extensions` applied in the order given: related lists and tabs appended (a list
 * the form already holds, see `isListOnForm`, stays where the form has it), each section appended
 * to its tab (a tab the form lacks takes nothing: validation refuses it). Pure.
 * @example extendForm(customerForm, [orderOnCustomer]).relatedLists // [...own, quotes, salesOrders]
 */
export function extendForm(form: Form, extensions: readonly Extension[]): Form {
  if (!extensions.length) return form
  const tabs = form.tabs.map((tab) => ({ ...tab, sections: [...tab.sections] }))
  const relatedLists = [...(form.relatedLists ?? [])]
  for (const extension of extensions) {
    relatedLists.push(...(extension.relatedLists ?? []).filter((l) => !isListOnForm(form, l)))
    tabs.push(...(extension.tabs ?? []).map((tab) => ({ ...tab, sections: [...tab.sections] })))
    for (const { tab, ...section } of extension.sections ?? [])
      tabs.find((t) => t.id === tab)?.sections.push(section)
  }
  return { ...form, tabs, ...(relatedLists.length && { relatedLists }) }
}

/**
 * Every form with the extensions that name it applied (see `orderExtensions`); a form nothing
 * extends comes back as the same object. Extensions of a missing form are left out.
 * @example extendForms(bundle.forms, bundle.extensions ?? [], packagesById)
 */
export function extendForms(
  forms: readonly Form[],
  extensions: readonly Extension[],
  packages: ReadonlyMap<string, PackageManifest>,
): Form[] {
  if (!extensions.length) return [...forms]
  const byForm = new Map<string, Extension[]>()
  for (const extension of orderExtensions(extensions, packages)) {
    const list = byForm.get(extension.form) ?? []
    list.push(extension)
    byForm.set(extension.form, list)
  }
  return forms.map((form) => extendForm(form, byForm.get(form.id) ?? []))
}
