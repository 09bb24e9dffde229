import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { deliveredUnlessWanted, quietVersion, TRANSITION_OUTBOX_EVENT } from '../registry'
import { fieldId } from '../schema/naming'
import { apiJson } from './api-json'
import { autoNumberPeriod, renderDateTokens } from './auto-number'
import type { EntityPlan, StoredField } from './entity-plan'
import { toParams } from './field-values'
import type { RecordData } from './record-data'
import { StatementTemplate, type SlotFn } from './statement-template'

/** `{ field: { before, after } }` as audit and outbox store it. */
export type Changes = Record<string, { before: unknown; after: unknown }>

const join = (parts: SQL[]) => sql.join(parts, sql`, `)

/** Who and when, shared by the statements of one write. */
export interface WriteStamp {
  entity: string
  userId: string | null
  requestId: string | null
  now: Date
}

/** The stamp of a write by the context's user at the context's clock. */
export function writeStamp(ctx: Ctx, plan: EntityPlan): WriteStamp {
  return {
    entity: plan.entity.id,
    userId: ctx.user?.id ?? null,
    requestId: ctx.requestId ?? null,
    now: ctx.clock.now(),
  }
}

/** Slots 0–3 of every write template: entity, user, request id, now. */
const STAMP_SLOTS = 4

function stampValues(stamp: WriteStamp): unknown[] {
  return [stamp.entity, stamp.userId, stamp.requestId, stamp.now.toISOString()]
}

/**
 * Audit row + outbox event for the row the CTE `source` returned, in the same statement. The
 * outbox gets `outboxChanges` when given (a delete's values before it), else `changes`. An event
 * no automation handler wants under the plan's metadata is written delivered (templates are
 * cached per plan, so per metadata version; see deliveredUnlessWanted). `also`: a JSON object
 * merged into the event's payload, and the further event it stands for (a flow's `transition`,
 * see buildUpdateParts), which counts when judging whether a handler wants the event.
 */
export function auditAndOutbox(
  plan: EntityPlan,
  v: SlotFn,
  action: string,
  source: SQL,
  changes: SQL,
  outboxChanges: SQL = changes,
  also?: { payload: SQL; event: string },
): SQL {
  const audited = plan.trackChanges ? changes : sql`'{}'::jsonb`
  const payload = sql`jsonb_build_object('changes', ${outboxChanges}, 'id', s.id, 'version', s.version)`
  const quiet = [action, ...(also ? [also.event] : [])].every(
    (event) => quietVersion(plan.meta, plan.entity.id, event) !== null,
  )
  return sql`aud as (insert into audit_log (entity, record_id, action, user_id, at, request_id, changes, version)
      select ${v(0)}::text, s.id, ${action}::text, ${v(1)}::uuid, ${v(3)}::timestamptz, ${v(2)}::text, ${audited}, s.version
      from ${source} s),
    ob as (insert into outbox (entity, record_id, event, payload, user_id, delivered_at)
      select ${v(0)}::text, s.id, ${action}::text,
        ${also ? sql`${also.payload} || ${payload}` : payload}, ${v(1)}::uuid,
        ${deliveredUnlessWanted(sql`${quiet ? plan.meta.version : null}::int`)}
      from ${source} s)`
}

/**
 * Every stored field of the row `s` as `{ field: { before: value, after: null } }`: what a
 * deleted record was, in the shape of an update's changes. Aggregated from a VALUES list, so
 * an entity of any size stays under PostgreSQL's 100 function arguments.
 */
function deletedValues(plan: EntityPlan): SQL {
  if (!plan.stored.length) return sql`'{}'::jsonb`
  const pairs = join(plan.stored.map((s) => sql`(${s.name}::text, ${apiJson(s, sql`s`)})`))
  return sql`(select jsonb_object_agg(d.k, jsonb_build_object('before', d.v, 'after', null))
    from (values ${pairs}) d(k, v))`
}

/** Column identifiers and value slots for `fields`, slots numbered from `first`. */
function columnSlots(
  fields: StoredField[],
  v: SlotFn,
  first: number,
): { cols: SQL[]; vals: SQL[]; next: number } {
  const cols: SQL[] = []
  const vals: SQL[] = []
  let next = first
  for (const stored of fields)
    for (const ident of stored.idents) (cols.push(ident), vals.push(v(next++)))
  return { cols, vals, next }
}

/** The parameters of `fields` in `record`, in the order `columnSlots` numbered them. */
export function fieldValues(fields: StoredField[], record: RecordData, into: unknown[]): unknown[] {
  for (const stored of fields) into.push(...toParams(stored.field, record[stored.name]))
  return into
}

/** Cached templates per plan, keyed by the shape of the statement. */
const templates = new WeakMap<EntityPlan, Map<string, StatementTemplate>>()

/** The template of `key` for `plan`, built once (a few hundred shapes at most per plan). */
export function cachedTemplate(
  plan: EntityPlan,
  key: string,
  build: (v: SlotFn) => SQL,
): StatementTemplate {
  let perPlan = templates.get(plan)
  if (!perPlan) templates.set(plan, (perPlan = new Map()))
  let template = perPlan.get(key)
  if (!template) {
    template = new StatementTemplate(build)
    if (perPlan.size < 500) perPlan.set(key, template)
  }
  return template
}

function insertFields(plan: EntityPlan): StoredField[] {
  return plan.stored.filter((s) => s.field.type !== 'autoNumber')
}

/** The column a guarded insert answers its warning matches in (JSON array of MatchRow). */
export const DEDUP_MATCHES_COLUMN = '__dedup_matches'

/** What guards a create: a boolean SQL condition, and a duplicate check whose rows it answers. */
export interface InsertGuard {
  /** Nothing is written unless it is true; evaluated once, before anything is written. */
  guard: SQL
  /** A query answering MatchRow rows (the warning rules' matches), or null. */
  check: SQL | null
}

/**
 * One statement for a create: auto-numbers, the insert, the audit row and the outbox event.
 * Returns the new row. A sequential auto-number is `nextval` of its sequence; a periodic one
 * upserts its period's counter row (row-locked until commit, so numbers per period stay dense).
 * Slots: stamp, changes, each field's parameters, then per auto-number [period,] before, after;
 * `guarded`: then the guard (CTE `g`, run once before anything is written: when false, nothing
 * is, not even a periodic counter's step or a sequence's) and, with `checked`, the check (CTE
 * `m`); the statement then answers one row, the new record's columns (all null when the guard
 * refused) and the check's matches as JSON in `DEDUP_MATCHES_COLUMN`.
 */
function insertTemplate(plan: EntityPlan, guarded: boolean, checked: boolean): StatementTemplate {
  const key = guarded ? `insert:guarded${checked ? ':checked' : ''}` : 'insert'
  return cachedTemplate(plan, key, (v) => {
    const { cols, vals, next } = columnSlots(insertFields(plan), v, STAMP_SLOTS + 1)
    const ctes: SQL[] = []
    let changes = sql`${v(STAMP_SLOTS)}::jsonb`
    const periodSlots = plan.autoNumbers.filter((a) => !a.sequence).length
    const guardSlot = next + periodSlots + 2 * plan.autoNumbers.length
    if (guarded) ctes.push(sql`g as materialized (select ${v(guardSlot)} as clear)`)
    if (checked) ctes.push(sql`m as (${v(guardSlot + 1)})`)
    const where = guarded ? sql` where (select clear from g)` : sql``
    let slot = next
    plan.autoNumbers.forEach(({ field, pattern, sequence }, i) => {
      const width = sql.raw(String(Math.trunc(pattern.width)))
      const format = (n: SQL) =>
        sql`case when length(${n}) >= ${width} then ${n} else lpad(${n}, ${width}, '0') end`
      // A CTE runs once per statement: the value is drawn once even though the format uses it twice.
      const cte = sql.identifier(`an_${i}`)
      if (sequence) {
        ctes.push(sql`${cte} as (select nextval(${sequence}::regclass) as value)`)
      } else {
        ctes.push(sql`${cte} as (insert into auto_numbers (entity, field, period, value)
          select ${v(0)}::text, ${fieldId(field)}::text, ${v(slot++)}::text, 1${where}
          on conflict (entity, field, period) do update set value = auto_numbers.value + 1 returning value)`)
      }
      const digits = sql`(select ${format(sql`value::text`)} from ${cte})`
      const [before, after] = [v(slot++), v(slot++)]
      const column = plan.storedByName.get(field.name)!.idents[0]
      cols.push(column)
      vals.push(sql`${before}::text || ${digits} || ${after}::text`)
      changes = sql`${changes} || jsonb_build_object(${field.name}::text, jsonb_build_object('before', null, 'after', s.${column}))`
    })
    cols.push(sql`created_at`, sql`updated_at`, sql`created_by`, sql`updated_by`)
    vals.push(sql`${v(3)}`, sql`${v(3)}`, sql`${v(1)}`, sql`${v(1)}`)
    ctes.push(
      guarded
        ? sql`ins as (insert into ${plan.table} (${join(cols)}) select ${join(vals)}${where} returning ${plan.selectList})`
        : sql`ins as (insert into ${plan.table} (${join(cols)}) values (${join(vals)}) returning ${plan.selectList})`,
    )
    ctes.push(auditAndOutbox(plan, v, 'created', sql`ins`, changes))
    if (!guarded) return sql`with ${join(ctes)} select * from ins`
    const matches = checked
      ? sql`(select coalesce(json_agg(m), '[]'::json) from m)`
      : sql`'[]'::json`
    return sql`with ${join(ctes)}
      select ins.*, ${matches} as ${sql.identifier(DEDUP_MATCHES_COLUMN)}
      from (select from g) as one left join ins on true`
  })
}

/**
 * The create statement for `record`; with `guarded` it writes nothing and answers a row of nulls
 * when the guard is false (see `insertTemplate`).
 */
export function buildInsert(
  plan: EntityPlan,
  stamp: WriteStamp,
  record: RecordData,
  changes: Changes,
  guarded?: InsertGuard,
): SQL {
  const values = fieldValues(insertFields(plan), record, [
    ...stampValues(stamp),
    JSON.stringify(changes),
  ])
  for (const { pattern, raw, sequence } of plan.autoNumbers) {
    if (!sequence) values.push(pattern.periodic ? autoNumberPeriod(raw, stamp.now) : '')
    values.push(
      renderDateTokens(pattern.before, stamp.now),
      renderDateTokens(pattern.after, stamp.now),
    )
  }
  if (guarded) values.push(guarded.guard, guarded.check)
  return insertTemplate(plan, !!guarded, !!guarded?.check).bind(values)
}

/** The update's parts: the CTEs `upd` (the guarded update, returning the row), `aud` and `ob`. */
export interface UpdateParts {
  /** The shape (entity and fields): one `build` per key. */
  key: string
  /** The CTEs, their values in slots from 0 (see `values`). */
  build: (v: SlotFn) => SQL
  values: unknown[]
}

/**
 * An update guarded by the expected version, with audit and outbox, as CTEs another statement
 * can carry (a flow's write sends it with the approval's, one statement). `transition`: the
 * flow's `transition` event (`{ flow, from, to, action, transition }`), written in the update's
 * own outbox event instead of a row of its own: one `updated` event whose payload also names the
 * flow's move (alerts on a transition read it there, see handleAlertEvent).
 */
export function buildUpdateParts(
  plan: EntityPlan,
  stamp: WriteStamp,
  id: string,
  expectedVersion: number,
  record: RecordData,
  names: string[],
  changes: Changes,
  transition?: Record<string, unknown>,
): UpdateParts {
  const fields = names
    .map((n) => plan.storedByName.get(n)!)
    .filter((s) => s.field.type !== 'autoNumber')
  const build = (v: SlotFn) => {
    const { cols, vals, next } = columnSlots(fields, v, STAMP_SLOTS + 3)
    const sets = cols.map((col, i) => sql`${col} = ${vals[i]}`)
    sets.push(sql`version = version + 1`, sql`updated_at = ${v(3)}`, sql`updated_by = ${v(1)}`)
    const where = sql`id = ${v(STAMP_SLOTS + 1)} and version = ${v(STAMP_SLOTS + 2)}`
    const also = transition
      ? { payload: sql`${v(next)}::jsonb`, event: TRANSITION_OUTBOX_EVENT }
      : undefined
    return sql`upd as (update ${plan.table} set ${join(sets)} where ${where} returning ${plan.selectList}),
      ${auditAndOutbox(plan, v, 'updated', sql`upd`, sql`${v(STAMP_SLOTS)}::jsonb`, undefined, also)}`
  }
  const values = fieldValues(fields, record, [
    ...stampValues(stamp),
    JSON.stringify(changes),
    id,
    expectedVersion,
  ])
  if (transition) values.push(JSON.stringify(transition))
  return {
    key: `update:${fields.map((s) => s.name).join(',')}${transition ? ':transition' : ''}`,
    build,
    values,
  }
}

/** One statement for an update guarded by the expected version, with audit and outbox. */
export function buildUpdate(...args: Parameters<typeof buildUpdateParts>): SQL {
  return updateStatement(args[0], buildUpdateParts(...args))
}

/** The update's parts as a statement of their own, answering the updated row (or none). */
export function updateStatement(plan: EntityPlan, parts: UpdateParts): SQL {
  const template = cachedTemplate(
    plan,
    parts.key,
    (v) => sql`with ${parts.build(v)} select * from upd`,
  )
  return template.bind(parts.values)
}

/**
 * One statement for a delete guarded by the expected version, with audit and outbox; the outbox
 * event carries the record's values before the delete as `changes` (`before`, `after: null`).
 */
export function buildDelete(
  plan: EntityPlan,
  stamp: WriteStamp,
  id: string,
  expectedVersion: number,
): SQL {
  const template = cachedTemplate(
    plan,
    'delete',
    (v) => sql`with del as (delete from ${plan.table}
      where id = ${v(STAMP_SLOTS)} and version = ${v(STAMP_SLOTS + 1)} returning ${plan.selectList}),
    ${auditAndOutbox(plan, v, 'deleted', sql`del`, sql`'{}'::jsonb`, deletedValues(plan))}
    select id from del`,
  )
  return template.bind([...stampValues(stamp), id, expectedVersion])
}

/** Inserts a parent's child rows (replace strategy: the caller deleted the old ones). */
export function buildChildInsert(
  plan: EntityPlan,
  stamp: WriteStamp,
  parentId: string,
  rows: RecordData[],
): SQL {
  const fields = insertFields(plan)
  const at = stamp.now.toISOString()
  const tuples = rows.map((row, position) => {
    const vals = [
      parentId,
      position,
      ...fieldValues(fields, row, []),
      at,
      at,
      stamp.userId,
      stamp.userId,
    ]
    return sql`(${join(vals.map((value) => sql`${value}`))})`
  })
  const cols = [
    sql`parent_id`,
    sql`position`,
    ...fields.flatMap((s) => s.idents),
    sql`created_at`,
    sql`updated_at`,
    sql`created_by`,
    sql`updated_by`,
  ]
  return sql`insert into ${plan.table} (${join(cols)}) values ${join(tuples)} returning ${plan.selectList}`
}
