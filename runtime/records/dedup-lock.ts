import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
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
  return sql`select pg_advisory_xact_lock(hashtext(${lockSpace(plan, rule)}), hashtext(${key}))`
}

/** The first key of a rule's locks: the entity and the rule. */
export function lockSpace(plan: EntityPlan, rule: string): string {
  return `dedup\u001f${plan.entity.id}\u001f${rule}`
}

const dialect = new PgDialect()

/** Probe texts per plan, keyed by the block rules the record fills. */
const probes = new WeakMap<EntityPlan, Map<string, string>>()

/**
 * The SQL text of "a row duplicates the record under one of these block rules", with the
 * compared values as `$1[1]`, `$1[2]`, … (a text array, the order of `probeArgs`). Built once per
 * entity and set of rules; the statement is the platform's own, never user text.
 */
function probeText(plan: EntityPlan, rules: DedupRule[]): string {
  let perPlan = probes.get(plan)
  if (!perPlan) probes.set(plan, (perPlan = new Map()))
  const key = rules.map((r) => r.id).join('\u001f')
  let text = perPlan.get(key)
  if (text) return text
  const t = sql.identifier('t')
  let n = 0
  const exists = rules.map((rule) => {
    const compared = rule.fields.map((name) => {
      const stored = plan.storedByName.get(name)!
      const column = sql`${t}.${stored.idents[0]}`
      const arg = sql.raw(`$1[${++n}]`)
      return isNormalizedMatch(rule, stored.field)
        ? sql`${dedupExpression(column)} = ${dedupExpression(arg)}`
        : sql`${column} = cast(${arg} as ${sql.raw(columnType(stored.field))})`
    })
    return sql`exists (select 1 from ${plan.table} ${t} where ${sql.join(compared, sql` and `)})`
  })
  const query = dialect.sqlToQuery(sql`select ${sql.join(exists, sql` or `)}`)
  if (query.params.length) throw new Error('dedup probe: unexpected parameter')
  text = query.sql
  perPlan.set(key, text)
  return text
}

/**
 * The condition a create under block rules is written on: true when no row duplicates the
 * record under a rule whose lock is in `locks`. It is the `trellis_dedup_clear` function
 * (migration 0006): the locks first, in rule order, then the probe in a fresh snapshot, so a
 * second writer of an equal key waits for the first to commit and then sees its row.
 * @example sql`insert … select … where ${buildDedupGuard(plan, record, locks)}`
 */
export function buildDedupGuard(
  plan: EntityPlan,
  record: RecordData,
  locks: readonly DedupLockKey[],
): SQL {
  const rules = locks.map(({ rule }) => (plan.entity.dedup ?? []).find((r) => r.id === rule)!)
  const keys = locks.map(
    ({ rule, key }) => sql`hashtext(${lockSpace(plan, rule)}), hashtext(${key})`,
  )
  const args = rules.flatMap((rule) =>
    ruleParts(plan, rule, record)!.map(({ value }) => sql`${String(value)}::text`),
  )
  return sql`trellis_dedup_clear(array[${sql.join(keys, sql`, `)}]::int[], ${probeText(plan, rules)}::text, array[${sql.join(args, sql`, `)}]::text[])`
}
