import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import type { Ctx } from '../context'
import { BadRequestError } from '../errors'
import { scopePredicate } from '../permissions'
import { dedupRulePredicate, type EntityPlan, type RecordData } from '../records'
import { ruleCompared, type ComparedPart } from './import-bulk-sql'
import type { ImportMapping } from './import-mapping'

/** How an upsert finds the record a row updates. */
export interface UpsertKey {
  /** The fields the key compares (every one must be mapped). */
  fields: string[]
  /** The compared columns, each by its normalised text or exactly (what bulk probes compare). */
  parts: ComparedPart[]
  /** The de-duplication rule the key is, or undefined for a unique field. */
  rule?: DedupRule
  /** The predicate for a row's values, or null when a compared value is empty. */
  predicate(record: RecordData): SQL | null
}

/**
 * The upsert key named `key`: a de-duplication rule of the entity (its match, exact or
 * normalised) or a unique field. 400 naming `key` when it is neither or a field of it is not
 * mapped from the file.
 * @example toUpsertKey(plan, 'name', mapping).predicate({ name: 'ACME' })
 */
export function toUpsertKey(plan: EntityPlan, key: string, mapping: ImportMapping): UpsertKey {
  const rule = plan.entity.dedup?.find((r) => r.id === key)
  const field = plan.fieldsByName.get(key)
  let out: UpsertKey
  if (rule) {
    out = {
      rule,
      fields: rule.fields,
      parts: ruleCompared(plan, rule),
      predicate: (record) => dedupRulePredicate(plan, rule, record),
    }
  } else if (field?.unique && plan.storedByName.has(key)) {
    const column = plan.storedByName.get(key)!.idents[0]
    out = {
      fields: [key],
      parts: [{ stored: plan.storedByName.get(key)!, normalized: false }],
      predicate: (record) =>
        record[key] === undefined || record[key] === null ? null : sql`${column} = ${record[key]}`,
    }
  } else {
    throw new BadRequestError(`Cannot upsert by '${key}'`, [
      { path: 'key', message: 'must be a de-duplication rule or a unique field of the entity' },
    ])
  }
  const mapped = new Set(Object.values(mapping))
  const missing = out.fields.find((f) => !mapped.has(f))
  if (missing)
    throw new BadRequestError(`The upsert key needs a column for '${missing}'`, [
      { path: 'key', message: `field '${missing}' is not mapped from the file` },
    ])
  return out
}

/**
 * The records a row's key finds in the caller's import scope (at most two are read: two mean
 * the key is ambiguous and the row is refused, never a guess).
 */
export async function findByKey(
  ctx: Ctx,
  plan: EntityPlan,
  key: UpsertKey,
  record: RecordData,
): Promise<{ id: string; version: number }[] | null> {
  const predicate = key.predicate(record)
  if (!predicate) return null
  const scope = scopePredicate(ctx, plan.entity.id, 'import')
  const where = scope ? sql`${predicate} and ${scope}` : predicate
  return ctx.db.query<{ id: string; version: number }>(
    sql`select id::text as id, version from ${plan.table} where ${where} limit 2`,
  )
}
