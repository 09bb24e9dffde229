import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import {
  dedupExpression,
  fieldValues,
  lockSpace,
  renderDateTokens,
  type EntityPlan,
  type StoredField,
  type WriteStamp,
} from '../records'
import { columnType, isTextLike } from '../schema'

/*
 * The set-based statements of the bulk import path (import-bulk.ts). Rows travel as one jsonb
 * array parameter (`e.doc`): each compared or written value is the text the per-row statements
 * bind as a parameter, cast here to its column's type, so PostgreSQL converts it exactly as it
 * converts the per-row parameter. Every identifier comes from the checked entity plan.
 */

const join = (parts: SQL[], sep = sql`, `) => sql.join(parts, sep)

/** The rows of a batch: `e.doc` (the row's object) and `e.ord` (1, 2, … in file order). */
const rowsOf = (docs: unknown[]) =>
  sql`jsonb_array_elements(${JSON.stringify(docs)}::jsonb) with ordinality as e(doc, ord)`

/** `e.doc -> 'p' ->> i`: the i-th value of a row's array `p`, as text. */
const part = (i: number) => sql`(e.doc -> 'p' ->> ${sql.raw(String(i))})`

/** The SQL types of a stored field's columns (money: amount and currency). */
function columnTypes(stored: StoredField): string[] {
  if (stored.field.type === 'money') return [columnType(stored.field), 'text']
  return [columnType(stored.field)]
}

/** One compared part: a column against the row's i-th value, normalised or exact. */
export interface ComparedPart {
  stored: StoredField
  normalized: boolean
}

/** `col = value` for each part (the dedup rule's match), and the key text equal rows share. */
function compare(parts: ComparedPart[], column: (stored: StoredField) => SQL) {
  const predicate = parts.map(({ stored, normalized }, i) =>
    normalized
      ? sql`${dedupExpression(column(stored))} = ${dedupExpression(part(i))}`
      : sql`${column(stored)} = cast(${part(i)} as ${sql.raw(columnTypes(stored)[0])})`,
  )
  const key = parts.map(({ stored, normalized }, i) =>
    normalized
      ? dedupExpression(part(i))
      : sql`cast(${part(i)} as ${sql.raw(columnTypes(stored)[0])})::text`,
  )
  return { predicate: join(predicate, sql` and `), key: join(key, sql` || chr(31) || `) }
}

/** The parts of a dedup rule as compared (normalised only for text-like fields). */
export function ruleCompared(plan: EntityPlan, rule: DedupRule): ComparedPart[] {
  return rule.fields.map((name) => {
    const stored = plan.storedByName.get(name)!
    return { stored, normalized: rule.match === 'normalized' && isTextLike(stored.field) }
  })
}

/**
 * Upsert probe: per row (`{ n, p: [key values] }`) its key text (`__k`, what two rows with one
 * key share) and the stored records the key finds in `scope`, at most two (`findByKey`'s
 * question, for the whole batch at once), with the plan's columns.
 */
export function buildKeyProbe(
  plan: EntityPlan,
  parts: ComparedPart[],
  scope: SQL | null,
  docs: { n: number; p: string[] }[],
): SQL {
  const { predicate, key } = compare(parts, (s) => s.idents[0])
  const where = scope ? sql`${predicate} and ${scope}` : predicate
  return sql`select (e.doc ->> 'n')::int as "__n", ${key} as "__k", m.*
    from ${rowsOf(docs)}
    left join lateral (select ${plan.selectList} from ${plan.table} where ${where} limit 2) m on true`
}

/** A block rule's lock and check for one row: `{ n, s: self id or null, p: [values] }`. */
export interface DedupDoc {
  n: number
  s: string | null
  p: string[]
}

/**
 * A unique field as an exact, blocking rule (never locked: its unique index guards it). The bulk
 * path probes unique values as it probes block rules, so that a row the index would refuse goes
 * the per-row way instead of failing a whole statement (and drawing its auto-numbers in vain).
 */
export function uniqueRule(field: { name: string }): DedupRule {
  return {
    id: `\u001funique\u001f${field.name}`,
    fields: [field.name],
    match: 'exact',
    action: 'block',
  }
}

/** Per rule, the rows' lock key texts (`n`, `rule`, `key`) and, with `check`, `dup`. */
function dedupRows(plan: EntityPlan, rules: Map<DedupRule, DedupDoc[]>, check: boolean): SQL {
  const selects: SQL[] = []
  const t = sql.identifier('t')
  const all = plan.entity.dedup ?? []
  let pseudo = all.length
  for (const [rule, docs] of rules) {
    if (!docs.length) continue
    const { predicate, key } = compare(ruleCompared(plan, rule), (s) => sql`${t}.${s.idents[0]}`)
    const self = sql`(e.doc ->> 's' is null or ${t}.id <> (e.doc ->> 's')::uuid)`
    const dup = check
      ? sql`, exists (select 1 from ${plan.table} ${t} where ${predicate} and ${self}) as dup`
      : sql``
    const index = all.includes(rule) ? all.indexOf(rule) : pseudo++
    selects.push(sql`select (e.doc ->> 'n')::int as n, ${index}::int as rule,
      ${lockSpace(plan, rule.id)}::text as space, ${key} as key${dup} from ${rowsOf(docs)}`)
  }
  return join(selects, sql` union all `)
}

/**
 * Takes the block rules' locks of a batch (as `buildDedupLock` takes one), in rule then key
 * order so two bulk writers never wait on each other crosswise; a single writer takes one key
 * per rule, in rule order, so it cannot cross a bulk writer either.
 */
export function buildBulkDedupLocks(plan: EntityPlan, rules: Map<DedupRule, DedupDoc[]>): SQL {
  return sql`select count(*)::int as locked from (
    select pg_advisory_xact_lock(hashtext(k.space), hashtext(k.key)) from (
      select distinct rule, space, key from (${dedupRows(plan, rules, false)}) r order by rule, key
    ) k) l`
}

/**
 * After the locks, in a fresh statement (so it sees every row an earlier holder committed): per
 * row and rule the key text and whether another stored record already has it.
 */
export function buildBulkDedupCheck(plan: EntityPlan, rules: Map<DedupRule, DedupDoc[]>): SQL {
  return sql`${dedupRows(plan, rules, true)}`
}

/**
 * The audit row and outbox event of each written row: `rows` yields `v` (the input) and `rid`,
 * `ver` (the written record's id and version), in file order.
 */
function auditAndOutbox(
  plan: EntityPlan,
  stamp: WriteStamp,
  action: string,
  changes: SQL,
  rows: SQL,
): SQL {
  const user = sql`${stamp.userId}::uuid`
  const audited = plan.trackChanges ? changes : sql`'{}'::jsonb`
  return sql`aud as (insert into audit_log (entity, record_id, action, user_id, at, request_id, changes, version)
      select ${stamp.entity}::text, rid, ${action}::text, ${user}, ${stamp.now.toISOString()}::timestamptz,
        ${stamp.requestId}::text, ${audited}, ver
      ${rows}),
    ob as (insert into outbox (entity, record_id, event, payload, user_id)
      select ${stamp.entity}::text, rid, ${action}::text,
        jsonb_build_object('changes', ${changes}, 'id', rid, 'version', ver), ${user}
      ${rows})`
}

/** The value of each column of `fields` from the row's `p` array, cast to the column's type. */
function castValues(fields: StoredField[], from: SQL): SQL[] {
  const values: SQL[] = []
  let i = 0
  for (const stored of fields)
    for (const type of columnTypes(stored))
      values.push(sql`cast(${from} -> 'p' ->> ${sql.raw(String(i++))} as ${sql.raw(type)})`)
  return values
}

/** A record's parameters as the per-row statement binds them, JSON-safe. */
export function toParamList(fields: StoredField[], record: Record<string, unknown>): unknown[] {
  return fieldValues(fields, record, []).map((v) => (v instanceof Date ? v.toISOString() : v))
}

/**
 * Creates the batch's records (`{ p: [params], c: changes }` each, in file order) as one
 * statement: ids, sequential auto-numbers drawn in file order, the rows, an audit row and an
 * outbox event each, exactly as `buildInsert` writes one. Answers `n`, the rows written.
 */
export function buildBulkInsert(
  plan: EntityPlan,
  fields: StoredField[],
  stamp: WriteStamp,
  docs: { p: unknown[]; c: unknown }[],
): SQL {
  const cols = fields.flatMap((s) => s.idents)
  const vals = castValues(fields, sql`v.doc`)
  const draws: SQL[] = []
  let changes = sql`(v.doc -> 'c')`
  plan.autoNumbers.forEach(({ field, pattern, sequence }, i) => {
    const draw = sql.identifier(`an_${i}`)
    draws.push(sql`, nextval(${sequence}::regclass)::text as ${draw}`)
    const width = sql.raw(String(Math.trunc(pattern.width)))
    const digits = sql`case when length(v.${draw}) >= ${width} then v.${draw} else lpad(v.${draw}, ${width}, '0') end`
    const before = renderDateTokens(pattern.before, stamp.now)
    const after = renderDateTokens(pattern.after, stamp.now)
    const number = sql`${before}::text || ${digits} || ${after}::text`
    cols.push(plan.storedByName.get(field.name)!.idents[0])
    vals.push(number)
    changes = sql`${changes} || jsonb_build_object(${field.name}::text, jsonb_build_object('before', null, 'after', ${number}))`
  })
  const at = stamp.now.toISOString()
  cols.push(sql`created_at`, sql`updated_at`, sql`created_by`, sql`updated_by`)
  vals.push(sql`${at}::timestamptz`, sql`${at}::timestamptz`)
  vals.push(sql`${stamp.userId}::uuid`, sql`${stamp.userId}::uuid`)
  return sql`with v as materialized (
      select e.ord, e.doc, trellis_uuid7() as id${join(draws, sql``)} from ${rowsOf(docs)}),
    w as (insert into ${plan.table} (id, ${join(cols)})
      select v.id, ${join(vals)} from v order by v.ord returning id),
    ${auditAndOutbox(plan, stamp, 'created', changes, sql`from (select v.*, v.id as rid, 1 as ver from v) v order by v.ord`)}
    select count(*)::int as n from w`
}

/**
 * Updates the batch's records whose writes set the same `fields` (`{ id, ver, p, c }` each) as
 * one statement guarded by each record's version, with an audit row and an outbox event each,
 * exactly as `buildUpdate` writes one. Answers `n`: fewer than the rows means a concurrent
 * writer moved a version.
 */
export function buildBulkUpdate(
  plan: EntityPlan,
  fields: StoredField[],
  stamp: WriteStamp,
  docs: { id: string; ver: number; p: unknown[]; c: unknown }[],
): SQL {
  const values = castValues(fields, sql`v.doc`)
  const sets = fields.flatMap((s) => s.idents).map((col, i) => sql`${col} = ${values[i]}`)
  sets.push(sql`version = t.version + 1`)
  sets.push(sql`updated_at = ${stamp.now.toISOString()}::timestamptz`)
  sets.push(sql`updated_by = ${stamp.userId}::uuid`)
  return sql`with v as (select e.ord, e.doc, (e.doc ->> 'id')::uuid as id from ${rowsOf(docs)}),
    w as (update ${plan.table} t set ${join(sets)} from v
      where t.id = v.id and t.version = (v.doc ->> 'ver')::int returning t.id as rid, t.version as ver),
    ${auditAndOutbox(plan, stamp, 'updated', sql`(v.doc -> 'c')`, sql`from w s join v on v.id = s.rid order by v.ord`)}
    select count(*)::int as n from w`
}
