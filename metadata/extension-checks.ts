import type { Extension } from './extension'
import type { Form } from './form'
import { validateForm } from './form-checks'
import { toIssue, type MetadataIssue } from './issue'

/**
 * What an extension adds as a form over `entity`: its tabs, then one more tab holding its
 * sections, so the form checks run on it unchanged; `toExtensionPath` maps their paths back.
 */
export function toExtensionForm(extension: Extension, entity: string, label: Form['label']): Form {
  const tabs = [...(extension.tabs ?? [])]
  if (extension.sections?.length) tabs.push({ id: '', label, sections: extension.sections })
  return { id: extension.id, entity, label, tabs, relatedLists: extension.relatedLists }
}

/** `tabs[n].sections[i]…` of the added sections' tab (n = the extension's own tabs) → `sections[i]…`. */
export function toExtensionPath(extension: Extension, path: string): string {
  const own = extension.tabs?.length ?? 0
  return path.replace(new RegExp(`^tabs\\[${own}\\]\\.sections`), 'sections')
}

/**
 * Checks an extension beyond its schema: it adds something; its tab, section and list ids are
 * unique; each field is placed once; rule sizes and spans, as for a form.
 * @example validateExtension({ id: 'x', form: 'customer' }) // [{ path: '', message: 'adds nothing…' }]
 */
export function validateExtension(extension: Extension): MetadataIssue[] {
  const { relatedLists, tabs, sections } = extension
  if (!relatedLists?.length && !tabs?.length && !sections?.length)
    return [toIssue('', 'adds nothing: give relatedLists, tabs or sections')]
  return validateForm(toExtensionForm(extension, '', { en: '' })).map((issue) =>
    toIssue(toExtensionPath(extension, issue.path), issue.message),
  )
}
