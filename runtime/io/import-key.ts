import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import type { Ctx } from '../context'
import { toLabel } from '../../metadata/labels'
import { BadRequestError, type Issue } from '../errors'
import { scopePredicate } from '../permissions'
import { dedupRulePredicate, type EntityPlan, type RecordData } from '../records'
import { ruleCompared, type ComparedPart } from './import-bulk-sql'
import type { ImportMapping } from './import-mapping'
import { importWords } from './import-refusal-texts'

/** How an upsert finds the record a row updates. */
export interface UpsertKey {
  /** The fields the key compares (every one must be mapped). */
  fields: string[]
  /** The compared columns, each by its normalised text or exactly (what bulk probes compare). */
  parts: ComparedPart[]
  /** The de-duplication rule the key is, or undefined for a unique field. */
  rule?: DedupRule
  /**
   * An auto-number field: a row with an empty key creates a record (which draws its number), a
   * number that finds nothing is refused, never created under another number.
   */
  autoNumber?: boolean
  /** The predicate for a row's values, or null when a compared value is empty. */
  predicate(record: RecordData): SQL | null
}

/**
 * The upsert key named `key`: a de-duplication rule of the entity (its match, exact or
 * normalised) or a unique field. 400 naming `key` when it is neither or a field of it is not
 * mapped from the file, in `locale` (the caller's).
 * @example toUpsertKey(plan, 'name', mapping).predicate({ name: 'ACME' })
 */
export function toUpsertKey(
  plan: EntityPlan,
  key: string,
  mapping: ImportMapping,
  locale?: string,
): UpsertKey {
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
  } else if ((field?.unique || field?.type === 'autoNumber') && plan.storedByName.has(key)) {
    const column = plan.storedByName.get(key)!.idents[0]
    out = {
      fields: [key],
      ...(field.type === 'autoNumber' ? { autoNumber: true } : {}),
      parts: [{ stored: plan.storedByName.get(key)!, normalized: false }],
      predicate: (record) =>
        record[key] === undefined || record[key] === null ? null : sql`${column} = ${record[key]}`,
    }
  } else {
    const w = importWords(locale)
    throw new BadRequestError(w.text('badKey', { key }), [
      { path: 'key', message: w.text('badKeyField') },
    ])
  }
  const mapped = new Set(Object.values(mapping))
  const missing = out.fields.find((f) => !mapped.has(f))
  if (missing) {
    const w = importWords(locale)
    const field = w.field(plan.entity, missing)
    throw new BadRequestError(w.text('keyNotMapped', { field }), [
      { path: 'key', message: w.text('keyNotMappedField', { field }) },
    ])
  }
  return out
}

/**
 * A row whose auto-number key found no record: refused, never created under another number
 * (Trellis gives the numbers; an empty key creates a record with the next one). Null otherwise.
 * @example unmatchedKeyIssue(plan, key, { number: 'SO-2026-0099' }) // { path: 'number', … }
 */
export function unmatchedKeyIssue(
  plan: EntityPlan,
  key: UpsertKey | null,
  record: RecordData,
): Issue | null {
  const name = key?.autoNumber ? key.fields[0] : undefined
  const value = name === undefined ? undefined : record[name]
  if (value === undefined || value === null || value === '') return null
  const entity = toLabel(plan.entity.label, 'en', plan.entity.id)
  return {
    path: name!,
    message: `no ${entity} numbered '${String(value)}': leave it empty for a new record`,
  }
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
