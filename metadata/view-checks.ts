import { validateUnique } from './duplicates'
import type { MetadataIssue } from './issue'
import { validateRuleSize } from './rule-limits'
import type { View } from './view'

/** Checks a view beyond its schema: unique filter ids and columns, filter sizes. */
export function validateView(view: View): MetadataIssue[] {
  const issues = validateUnique(
    view.filters,
    (f) => f.id,
    (i) => `filters[${i}].id`,
    'filter id',
  )
  view.filters?.forEach((filter, i) =>
    issues.push(...validateRuleSize(filter.filter, `filters[${i}].filter`)),
  )
  if (view.type === 'list') {
    issues.push(
      ...validateUnique(
        view.columns,
        (c) => c.field,
        (i) => `columns[${i}].field`,
        'column',
      ),
    )
  }
  return issues
}

/** The fields a sort expression names: `-createdAt,name` → ['createdAt', 'name']. */
export function sortFieldsOf(sort: string): string[] {
  return sort.split(',').map((part) => part.replace(/^-/, ''))
}
