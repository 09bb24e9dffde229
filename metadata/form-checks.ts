import { validateUnique } from './duplicates'
import type { Form, FormField } from './form'
import { toIssue, type MetadataIssue } from './issue'
import { validateRuleSize } from './rule-limits'

const FIELD_RULES = ['visible', 'required', 'readOnly'] as const

/** Every field placed on a form with its path: `tabs[0].sections[1].fields[3]`. */
export function formFieldsOf(form: Form): { field: FormField; path: string }[] {
  return form.tabs.flatMap((tab, t) =>
    tab.sections.flatMap((section, s) =>
      section.fields.map((field, f) => ({ field, path: `tabs[${t}].sections[${s}].fields[${f}]` })),
    ),
  )
}

/** Checks a form beyond its schema: unique tab, section and list ids, each field placed once, rule sizes. */
export function validateForm(form: Form): MetadataIssue[] {
  const sections = form.tabs.flatMap((tab, t) =>
    tab.sections.map((section, s) => ({ section, path: `tabs[${t}].sections[${s}].id` })),
  )
  const placed = formFieldsOf(form)
  const issues = [
    ...validateUnique(
      form.tabs,
      (t) => t.id,
      (i) => `tabs[${i}].id`,
      'tab id',
    ),
    ...validateUnique(
      sections,
      (s) => s.section.id,
      (i) => sections[i].path,
      'section id',
    ),
    ...validateUnique(
      placed,
      (p) => p.field.field,
      (i) => `${placed[i].path}.field`,
      'form field',
    ),
    ...validateUnique(
      form.relatedLists,
      (r) => r.id,
      (i) => `relatedLists[${i}].id`,
      'related list id',
    ),
  ]
  for (const { field, path } of placed) {
    for (const rule of FIELD_RULES) {
      if (field[rule] !== undefined)
        issues.push(...validateRuleSize(field[rule], `${path}.${rule}`))
    }
  }
  for (const { section, path } of sections) {
    const columns = section.columns ?? 1
    section.fields.forEach((field, i) => {
      if (field.span !== undefined && field.span > columns) {
        issues.push(
          toIssue(
            path.replace(/\.id$/, `.fields[${i}].span`),
            `must not exceed the section's ${columns} column(s)`,
          ),
        )
      }
    })
  }
  return issues
}
