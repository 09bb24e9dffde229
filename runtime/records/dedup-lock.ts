import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import { columnType } from '../schema/column-types'
import { dedupExpression, isNormalizedMatch } from '../schema/dedup-expression'
import type { EntityPlan, StoredField } from './entity-plan'
import { isEmptyValue, type RecordData } from './record-data'

/** One compared part of a rule: the field and the record's plain value for it. */
export interface RulePart {
  stored: StoredField
  value: unknown
}

/**
 * The values a dedup rule compares for `record`, or null when one is empty or not a plain value
 * (then the rule does not apply: an empty name is nobody's duplicate).
 */
export function ruleParts(
  plan: EntityPlan,
  rule: DedupRule,
  record: RecordData,
): RulePart[] | null {
  const parts: RulePart[] = []
  for (const name of rule.fields) {
    const stored = plan.storedByName.get(name)
    let value = record[name]
    if (!stored || isEmptyValue(value)) return null
    if (stored.field.type === 'money') value = (value as { amount: number }).amount
    if (value === null || typeof value === 'object') return null
    parts.push({ stored, value })
  }
  return parts.length ? parts : null
}

/** A block rule's lock: the rule and the text (in SQL) equal records share. */
export interface DedupLockKey {
  rule: string
  key: SQL
}

/**
 * The lock key of every `block` rule the record fills (on update: whose fields `changed` names),
 * in rule order. Two records the rule calls
 * duplicates get the same key: a normalised part goes through `dedupExpression`, an exact part is
 * cast to its column's type first (so `'ABC…'` and `'abc…'` are one uuid, `1` and `1.00` one amount).
 */
export function dedupLockKeys(
  plan: EntityPlan,
  record: RecordData,
  changed?: readonly string[],
): DedupLockKey[] {
  const keys: DedupLockKey[] = []
  for (const rule of plan.entity.dedup ?? []) {
    if (rule.action !== 'block') continue
    // An update that leaves a rule's fields alone cannot make a new duplicate under it.
    if (changed && !rule.fields.some((f) => changed.includes(f))) continue
    const parts = ruleParts(plan, rule, record)
    if (!parts) continue
    const texts = parts.map(({ stored, value }) =>
      isNormalizedMatch(rule, stored.field)
        ? dedupExpression(sql`${String(value)}::text`)
        : sql`cast(${value} as ${sql.raw(columnType(stored.field))})::text`,
    )
    keys.push({ rule: rule.id, key: sql.join(texts, sql` || chr(31) || `) })
  }
  return keys
}

/**
 * The statement that holds one block-rule key until the transaction ends: a second writer of an
 * equal key waits, then its duplicate check sees the first one's committed row. Why an advisory
 * lock and not a unique index: an index cannot be built while duplicates exist (data imported
 * before the rule, or a rule added later), it cannot leave a rule with an empty part out without
 * a partial index per rule shape, and a violation would still need the lookup to name the
 * existing record. The lock tolerates existing duplicates and works on PGlite and PostgreSQL 15
 * alike. A hash collision only makes two unrelated writes wait, never lets a duplicate through.
 */
export function buildDedupLock(plan: EntityPlan, { rule, key }: DedupLockKey): SQL {
  const space = `dedup\u001f${plan.entity.id}\u001f${rule}`
  return sql`select pg_advisory_xact_lock(hashtext(${space}), hashtext(${key}))`
}
