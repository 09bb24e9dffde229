import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One related list of the customer form, resolved to a table and its reference column. */
export interface RelatedSpec {
  id: string
  table: string
  column: string
  limit: number
}

const FORM_FILE = fileURLToPath(
  new URL('../../seeds/customer/forms/customer.json', import.meta.url),
)

/** camelCase → snake_case, the same rule the metadata uses for tables and columns. */
export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

/** The related lists the customer form declares (read once from the seed file). */
export function readRelatedSpecs(file: string = FORM_FILE): RelatedSpec[] {
  const form = JSON.parse(readFileSync(file, 'utf8')) as {
    relatedLists?: { id: string; entity: string; field: string; limit?: number }[]
  }
  return (form.relatedLists ?? []).map((list) => ({
    id: list.id,
    table: snake(list.entity),
    column: snake(list.field),
    limit: Math.max(1, Math.min(list.limit ?? 5, 100)),
  }))
}
