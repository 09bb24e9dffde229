import { toIssue, type MetadataIssue } from './issue'

/**
 * One issue for every item whose key an earlier item already used.
 * @example validateUnique(tabs, (t) => t.id, (i) => `tabs[${i}].id`, 'tab id')
 */
export function validateUnique<T>(
  items: readonly T[] | undefined,
  keyOf: (item: T) => string,
  pathOf: (index: number) => string,
  what: string,
): MetadataIssue[] {
  const seen = new Set<string>()
  const issues: MetadataIssue[] = []
  items?.forEach((item, i) => {
    const key = keyOf(item)
    if (seen.has(key)) issues.push(toIssue(pathOf(i), `duplicate ${what} '${key}'`))
    seen.add(key)
  })
  return issues
}
