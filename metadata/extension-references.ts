import type { Entity } from './entity'
import type { Extension } from './extension'
import { toExtensionForm, toExtensionPath } from './extension-checks'
import { isListOnForm } from './extend-forms'
import type { Form } from './form'
import { formFieldsOf } from './form-checks'
import { validateFormReferences } from './form-references'
import { toIssue, type MetadataIssue } from './issue'

interface ExtensionIndexes {
  entities: ReadonlyMap<string, Entity>
  forms: ReadonlyMap<string, Form>
  /** Every extension of the bundle (those of other forms are ignored). */
  extensions: readonly Extension[]
}

/** A name on a form, with the path where it is given: `tab:main`, `list:quotes`, `field:name`. */
interface Named {
  key: string
  path: string
}

/** The tab, section, related list and field names a form (or an extension as a form) gives. */
function namesOf(form: Form): Named[] {
  const names: Named[] = []
  form.tabs.forEach((tab, t) => {
    if (tab.id) names.push({ key: `tab '${tab.id}'`, path: `tabs[${t}].id` })
    tab.sections.forEach((section, s) =>
      names.push({ key: `section '${section.id}'`, path: `tabs[${t}].sections[${s}].id` }),
    )
  })
  for (const { field, path } of formFieldsOf(form))
    names.push({ key: `field '${field.field}'`, path: `${path}.field` })
  form.relatedLists?.forEach((list, i) =>
    names.push({ key: `related list '${list.id}'`, path: `relatedLists[${i}].id` }),
  )
  return names
}

/**
 * Dangling or clashing names in one extension: the form it adds to; its related lists, fields
 * and sorts (as a form's); the tab each section goes to; a tab, section, list id or field that
 * the form or another extension of it already has (a list the form holds with the same id, entity
 * and reference field is the extension's own, published before the list moved: not a clash).
 * @example validateExtensionReferences({ id: 'x', form: 'nope', … }, indexes)
 * // [{ path: 'form', message: "no form 'nope'" }]
 */
export function validateExtensionReferences(
  extension: Extension,
  indexes: ExtensionIndexes,
): MetadataIssue[] {
  const form = indexes.forms.get(extension.form)
  if (!form) return [toIssue('form', `no form '${extension.form}'`)]
  const own = toExtensionForm(extension, form.entity, form.label)
  const at = (issue: MetadataIssue) =>
    toIssue(toExtensionPath(extension, issue.path), issue.message)
  // The form's own entity is checked with the form.
  const issues = validateFormReferences(own, indexes.entities)
    .filter((i) => i.path !== 'entity')
    .map(at)
  const others = indexes.extensions.filter((e) => e.form === form.id && e.id !== extension.id)
  const taken = new Map<string, string>()
  // A list the form already holds as the extension gives it is the extension's own (isListOnForm).
  const recognised = new Set(
    (extension.relatedLists ?? []).filter((l) => isListOnForm(form, l)).map((l) => l.id),
  )
  for (const { key } of namesOf(form)) taken.set(key, `is already on form '${form.id}'`)
  for (const id of recognised) taken.delete(`related list '${id}'`)
  for (const other of others)
    for (const { key } of namesOf(toExtensionForm(other, form.entity, form.label)))
      if (!taken.has(key)) taken.set(key, `is also added by extension '${other.id}'`)
  for (const { key, path } of namesOf(own)) {
    const clash = taken.get(key)
    if (clash) issues.push(at(toIssue(path, `${key} ${clash}`)))
  }
  const tabs = new Set(
    [form, ...others, extension].flatMap((f) => (f.tabs ?? []).map((tab) => tab.id)),
  )
  extension.sections?.forEach((section, i) => {
    if (!tabs.has(section.tab))
      issues.push(
        toIssue(
          `sections[${i}].tab`,
          `no tab '${section.tab}' in form '${form.id}' or its extensions`,
        ),
      )
  })
  return issues
}
