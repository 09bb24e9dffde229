import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import type { Field } from '../../metadata/field'

const TEXT_TYPES: ReadonlySet<string> = new Set([
  'text',
  'longText',
  'richText',
  'email',
  'phone',
  'url',
  'select',
  'autoNumber',
])

/** Whether a field holds plain text in its column (text, long text, email, select, …). */
export function isTextLike(field: Pick<Field, 'type'>): boolean {
  return TEXT_TYPES.has(field.type)
}

/** Whether a rule compares this field by its normalised text (only text-like fields have one). */
export function isNormalizedMatch(
  rule: Pick<DedupRule, 'match'>,
  field: Pick<Field, 'type'>,
): boolean {
  return rule.match === 'normalized' && TEXT_TYPES.has(field.type)
}

/**
 * The normalised form of a text value used by `normalized` de-duplication: NFKC (full-width →
 * half-width), trimmed, runs of white space collapsed, lower-cased. Schema sync builds expression
 * indexes with this same function, so lookups use them. Every function here is immutable.
 * @example dedupExpression(sql.identifier('name')) // lower(btrim(regexp_replace(normalize(…
 */
export function dedupExpression(value: SQL): SQL {
  return sql`lower(btrim(regexp_replace(normalize(${value}, NFKC), '\\s+', ' ', 'g')))`
}

/** The same normalisation in JavaScript (tests, and the designer's duplicate preview). */
export function normalizeForDedup(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase()
}
