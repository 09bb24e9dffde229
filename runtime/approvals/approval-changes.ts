import type { Entity } from '../../metadata/entity'
import { toLabel, type Locale } from '../../metadata/labels'

/** One field that changed since the record was submitted. */
export interface FieldChange {
  field: string
  label: string
  before: unknown
  after: unknown
}

/** JSON with object keys sorted: the snapshot went through jsonb, which reorders them. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b)

/**
 * The fields whose value differs between the submission snapshot and the record now, in the
 * entity's field order. Only fields present in `record` count (the caller's read rules already
 * took out the hidden ones), and never `skip` (the state field: only transitions move it). Values
 * are raw; formatting them is the workspace's job. Pure.
 * @example buildChanges(entity, { discount: 10 }, { discount: 20 }, ['status'], 'en') // [{ field: 'discount', label: 'Discount', before: 10, after: 20 }]
 */
export function buildChanges(
  entity: Entity,
  snapshot: Record<string, unknown>,
  record: Record<string, unknown>,
  skip: string[],
  locale: string,
): FieldChange[] {
  const out: FieldChange[] = []
  for (const field of entity.fields) {
    if (skip.includes(field.name) || !Object.hasOwn(record, field.name)) continue
    const before = snapshot[field.name] ?? null
    const after = record[field.name] ?? null
    if (same(before, after)) continue
    out.push({
      field: field.name,
      label: toLabel(field.label, locale as Locale, field.name),
      before,
      after,
    })
  }
  return out
}
