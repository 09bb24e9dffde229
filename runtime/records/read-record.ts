import { sql, type SQL } from 'drizzle-orm'
import type { RelatedList } from '../../metadata/form'
import type { Ctx } from '../context'
import type { Row } from '../db'
import { entityPlan, type EntityPlan } from './entity-plan'
import { SYSTEM_COLUMNS } from '../schema/naming'
import { freeze } from './frozen-sql'
import { StatementTemplate } from './statement-template'
import type { RecordData } from './record-data'

/** A related list of the default form, resolved to the plan and column it reads. */
interface RelatedPlan {
  list: RelatedList
  plan: EntityPlan
  column: string
  limit: number
  /** The rows' order (inlined; built from checked metadata names with sql.identifier). */
  order: SQL
}

const plansByParent = new WeakMap<EntityPlan, RelatedPlan[]>()

const NEWEST_FIRST = sql`created_at desc, id desc`

/**
 * A related list's order: its `sort` field (checked against the entity when the form is saved;
 * a name the plan does not know falls back), empty values last, id as tiebreaker; else newest
 * first.
 */
function relatedOrder(plan: EntityPlan, sort: string | undefined): SQL {
  if (!sort) return NEWEST_FIRST
  const desc = sort.startsWith('-')
  const name = sort.replace(/^-/, '')
  const column =
    plan.storedByName.get(name)?.columns[0] ??
    (Object.hasOwn(SYSTEM_COLUMNS, name)
      ? SYSTEM_COLUMNS[name as keyof typeof SYSTEM_COLUMNS]
      : undefined)
  if (!column) return NEWEST_FIRST
  const direction = desc ? sql`desc nulls last` : sql`asc nulls last`
  return sql`${sql.identifier(column)} ${direction}, id ${desc ? sql`desc` : sql`asc`}`
}

/** The default form's related lists whose entity and reference field exist (cached per plan). */
function relatedPlans(plan: EntityPlan): RelatedPlan[] {
  let found = plansByParent.get(plan)
  if (found) return found
  found = []
  for (const list of plan.form?.relatedLists ?? []) {
    if (!plan.meta.entities.has(list.entity)) continue
    const related = entityPlan(plan.meta, list.entity)
    const stored = related.storedByName.get(list.field)
    if (!stored) continue
    found.push({
      list,
      plan: related,
      column: stored.columns[0],
      limit: Math.max(1, Math.min(list.limit ?? 5, 100)),
      order: relatedOrder(related, list.sort),
    })
  }
  plansByParent.set(plan, found)
  return found
}

/**
 * One query for a record, its child rows (json_agg ordered by position) and, when asked, each
 * related list trimmed to its limit + 1 (the extra row says there is more). Everything but the id
 * is fixed per plan, so it is rendered once.
 */
function selectPrefix(plan: EntityPlan, related: RelatedPlan[], scopes: (SQL | null)[] = []): SQL {
  const parts: SQL[] = [plan.selectList]
  plan.childTables.forEach((child, i) => {
    parts.push(sql`(select coalesce(json_agg(c order by c.position), '[]'::json)
      from (select ${child.plan.selectList} from ${child.plan.table} where parent_id = t.id) c) as ${sql.identifier(`__child_${i}`)}`)
  })
  related.forEach((rel, i) => {
    // The limit is an integer clamped above, inlined so the whole prefix can be frozen.
    const limit = sql.raw(String(Math.trunc(rel.limit) + 1))
    const scope = scopes[i] ? sql` and ${scopes[i]}` : sql``
    parts.push(sql`(select coalesce(json_agg(r order by ${rel.order}), '[]'::json)
      from (select ${rel.plan.selectList} from ${rel.plan.table} ${REL} where ${REL}.${sql.identifier(rel.column)} = t.id${scope}
        order by ${rel.order} limit ${limit}) r) as ${sql.identifier(`__rel_${i}`)}`)
  })
  const select = sql`select ${sql.join(parts, sql`, `)} from ${plan.table} t where t.id = `
  // Scopes are slots of a guarded template (which renders it once), else the prefix is frozen.
  return scopes.some(Boolean) ? select : freeze(select)
}

const REL_ALIAS = '__rel'
const REL = sql.identifier(REL_ALIAS)

const prefixes = new WeakMap<EntityPlan, { plain?: SQL; related?: SQL }>()

/** The caller's read scopes over the record (alias t) and each related list (alias __rel). */
export interface ReadScopes {
  record: SQL | null
  related(entityId: string, alias: string): SQL | null
  /** Removes the fields the caller may not read from a row of the entity. */
  strip(entityId: string, row: RecordData): RecordData
}

const TRUE = sql`true`

const guardedTemplates = new WeakMap<
  EntityPlan,
  { plain?: StatementTemplate; related?: StatementTemplate }
>()

/**
 * The guarded select of a plan, built once: slot i is related list i's scope, then the record's
 * scope, then the id. A request binds its scopes (already compiled) without rebuilding the prefix.
 */
function guardedTemplate(
  plan: EntityPlan,
  related: RelatedPlan[],
  withRelated: boolean,
): StatementTemplate {
  let cached = guardedTemplates.get(plan)
  if (!cached) guardedTemplates.set(plan, (cached = {}))
  const build = () =>
    new StatementTemplate((slot) => {
      const scopes = related.map((_, i) => slot(i))
      const record = slot(related.length)
      return sql`${selectPrefix(plan, related, scopes)}${slot(related.length + 1)} and ${record}`
    })
  return withRelated ? (cached.related ??= build()) : (cached.plain ??= build())
}

function buildGuardedSelect(
  plan: EntityPlan,
  id: string,
  withRelated: boolean,
  guard: ReadScopes,
): SQL {
  const related = withRelated ? relatedPlans(plan) : []
  const scopes = related.map((rel) => guard.related(rel.plan.entity.id, REL_ALIAS))
  if (!guard.record && !scopes.some(Boolean)) return buildSelectRecord(plan, id, withRelated)
  // A missing scope (unrestricted on that entity) binds as `and true`.
  const values = [...scopes.map((s) => s ?? TRUE), guard.record ?? TRUE, id]
  return guardedTemplate(plan, related, withRelated).bind(values)
}

function buildSelectRecord(plan: EntityPlan, id: string, withRelated: boolean): SQL {
  let cached = prefixes.get(plan)
  if (!cached) prefixes.set(plan, (cached = {}))
  const prefix = withRelated
    ? (cached.related ??= selectPrefix(plan, relatedPlans(plan)))
    : (cached.plain ??= selectPrefix(plan, []))
  return sql`${prefix}${id}`
}

function asRows(value: unknown): Row[] {
  if (typeof value === 'string') return JSON.parse(value) as Row[]
  return (value as Row[] | null) ?? []
}

/** Reads one record (with child rows; related lists when asked), or null when there is none. */
export async function readRecord(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  withRelated: boolean,
  guard?: ReadScopes,
): Promise<
  (RecordData & { related?: Record<string, { data: RecordData[]; hasMore: boolean }> }) | null
> {
  const related = withRelated ? relatedPlans(plan) : []
  const statement = guard
    ? buildGuardedSelect(plan, id, withRelated, guard)
    : buildSelectRecord(plan, id, withRelated)
  const rows = await ctx.db.query(statement)
  if (!rows.length) return null
  const row = rows[0]
  const as = (p: EntityPlan) =>
    guard ? (r: Row) => guard.strip(p.entity.id, p.toRecord(r)) : p.toRecord
  const record: RecordData & {
    related?: Record<string, { data: RecordData[]; hasMore: boolean }>
  } = as(plan)(row)
  plan.childTables.forEach((child, i) => {
    record[child.field.name] = asRows(row[`__child_${i}`]).map(as(child.plan))
  })
  if (withRelated) {
    record.related = {}
    related.forEach((rel, i) => {
      const data = asRows(row[`__rel_${i}`]).map(as(rel.plan))
      const hasMore = data.length > rel.limit
      record.related![rel.list.id] = { data: hasMore ? data.slice(0, rel.limit) : data, hasMore }
    })
  }
  return record
}
