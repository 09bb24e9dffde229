import { sql, type SQL } from 'drizzle-orm'
import type { Field, LatestFrom } from '../../metadata/field'
import { systemKeyType } from '../../metadata/system-fields'
import type { Ctx } from '../context'
import { hiddenFields, scopePredicate } from '../permissions'
import { CHILD_COLUMNS, SYSTEM_COLUMNS } from '../schema/naming'
import { entityPlan, type EntityPlan } from './entity-plan'
import { isUuid, type RecordData } from './record-data'
import { compileFilter } from './rule-engine'

/*
 * latestFrom: a read-only field filled, when its record is written, from the newest row of another
 * entity that matches it (the last price this customer paid for this product). The search runs
 * in the writer's read scope, in the write's transaction, before the write is prepared; the pure
 * part (applyLatest) then copies the found values. Fields with the same search share one query.
 */

/** Where loadLookups keeps found values: never a record id (ids are uuids). */
const KEY = 'latest\u0000'

/** The search of a latestFrom field without its copied field: equal searches share a query. */
function searchKey(latest: LatestFrom): string {
  const { field: _copied, ...search } = latest
  return JSON.stringify(search)
}

/** The value of `path` (`name`, `parent`, `parent.name`) of a row whose parent is `parent`. */
function readPath(row: RecordData, parent: RecordData | null, path: string): unknown {
  if (parent && path === 'parent') return parent.id ?? null
  if (parent && path.startsWith('parent.')) return parent[path.slice(7)] ?? null
  return row[path] ?? null
}

/** The match values of one row in `match` order, or null when one is empty (nothing matches). */
function matchValues(
  plan: EntityPlan,
  latest: LatestFrom,
  row: RecordData,
  parent: RecordData | null,
): unknown[] | null {
  const values: unknown[] = []
  const source = plan.meta.entities.get(latest.entity)
  for (const [theirs, ours] of Object.entries(latest.match)) {
    const value = readPath(row, parent, ours)
    const type = pathType(plan, latest, theirs, source?.childOf)
    // The input is not validated yet: a value its column cannot take matches nothing (the
    // validation that follows names it), rather than failing the query.
    if (!fitsColumn(type, value)) return null
    values.push(ID_TYPES.includes(type) ? (value as string).toLowerCase() : value)
  }
  return values
}

const ID_TYPES = ['id', 'reference', 'user', 'department']
const DAY = /^\d{4}-\d{2}-\d{2}$/

/** Whether `value` is one the searched column of `type` can be compared with. */
function fitsColumn(type: string, value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false
  if (ID_TYPES.includes(type)) return isUuid(value)
  if (type === 'integer') return Number.isSafeInteger(value)
  if (type === 'boolean') return typeof value === 'boolean'
  if (type === 'date') return typeof value === 'string' && isDay(value)
  return typeof value === 'string'
}

/** A real calendar day as `YYYY-MM-DD` (not 2026-02-30). */
function isDay(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`)
  return DAY.test(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value)
}

/** The type of a path of the searched entity: `id` for its parent or a record id. */
function pathType(plan: EntityPlan, latest: LatestFrom, path: string, childOf?: string): string {
  if (path === 'parent' || path === 'id' || path === 'parent.id') return 'id'
  const [entityId, name] = path.startsWith('parent.')
    ? [childOf, path.slice(7)]
    : [latest.entity, path]
  const field = plan.meta.entities.get(entityId ?? '')?.fields.find((f) => f.name === name)
  return field?.type ?? systemKeyType(name) ?? 'text'
}

const lookupKey = (owner: EntityPlan, latest: LatestFrom, values: unknown[]) =>
  `${KEY}${owner.entity.id}\u0000${searchKey(latest)}\u0000${JSON.stringify(values)}`

/** The rows of `plan` a write stores (the records, or their child rows with the record as parent). */
function rowsOf(plan: EntityPlan, records: RecordData[]) {
  const rows: { plan: EntityPlan; row: RecordData; parent: RecordData | null }[] = []
  for (const record of records) {
    if (!record || typeof record !== 'object') continue
    rows.push({ plan, row: record, parent: null })
    for (const child of plan.childTables) {
      const list = record[child.field.name]
      if (!Array.isArray(list)) continue
      for (const row of list)
        if (row && typeof row === 'object') rows.push({ plan: child.plan, row, parent: record })
    }
  }
  return rows
}

/** Whether writes of `plan` (or its child rows) fill latestFrom fields. */
export function hasLatest(plan: EntityPlan): boolean {
  return plan.latest.length > 0 || plan.childTables.some((c) => c.plan.latest.length > 0)
}

/**
 * Finds, for every row the write stores, the newest matching row of each latestFrom search and
 * puts its values into `found` (one query per search and distinct match values).
 */
export async function loadLatest(
  ctx: Ctx,
  plan: EntityPlan,
  records: RecordData[],
  found: Map<string, RecordData>,
): Promise<void> {
  for (const { plan: owner, row, parent } of rowsOf(plan, records)) {
    for (const [, fields] of groupSearches(owner.latest)) {
      const latest = fields[0].latestFrom!
      const values = matchValues(owner, latest, row, parent)
      if (!values) continue
      const key = lookupKey(owner, latest, values)
      if (found.has(key)) continue
      found.set(key, await searchNewest(ctx, owner, fields, values))
    }
  }
}

function groupSearches(fields: Field[]): Map<string, Field[]> {
  const groups = new Map<string, Field[]>()
  for (const field of fields) {
    const key = searchKey(field.latestFrom!)
    groups.set(key, [...(groups.get(key) ?? []), field])
  }
  return groups
}

/** The columns of a path of the searched row (`s`) or of its parent (`p`), and their reader. */
function columnsOf(
  source: EntityPlan,
  path: string,
): { refs: SQL[]; read(cols: unknown[]): unknown } {
  const one = (ref: SQL) => ({ refs: [ref], read: (cols: unknown[]) => cols[0] ?? null })
  if (path === 'parent') return one(sql`s.${sql.identifier(CHILD_COLUMNS.parentId)}`)
  const inParent = path.startsWith('parent.')
  const plan = inParent ? entityPlan(source.meta, source.entity.childOf!) : source
  const alias = sql.raw(inParent ? 'p' : 's')
  const name = inParent ? path.slice(7) : path
  const system = SYSTEM_COLUMNS[name as keyof typeof SYSTEM_COLUMNS]
  if (system) {
    const stored = { read: (v: unknown) => (v instanceof Date ? v.toISOString() : v) }
    const ref = sql`${alias}.${sql.identifier(system)}`
    return { refs: [ref], read: (cols) => (cols[0] == null ? null : stored.read(cols[0])) }
  }
  const stored = plan.storedByName.get(name)!
  return {
    refs: stored.idents.map((ident) => sql`${alias}.${ident}`),
    read: (cols) => stored.read(Object.fromEntries(stored.columns.map((c, i) => [c, cols[i]]))),
  }
}

/** Whether the writer may read the copied path (a hidden field copies as empty). */
function visible(ctx: Ctx, source: EntityPlan, path: string): boolean {
  if (path === 'parent') return true
  const inParent = path.startsWith('parent.')
  const entityId = inParent ? source.entity.childOf! : source.entity.id
  return !hiddenFields(ctx, entityId)?.has(inParent ? path.slice(7) : path)
}

/** The conditions of one search: the match values, the filters and the writer's read scope. */
function conditions(ctx: Ctx, source: EntityPlan, latest: LatestFrom, values: unknown[]): SQL[] {
  const parentId = source.entity.childOf
  const where: SQL[] = Object.keys(latest.match).map((path, i) => {
    const ref = columnsOf(source, path).refs[0]
    return ID_TYPES.includes(pathType(source, latest, path, parentId))
      ? sql`${ref} = ${values[i]}::uuid`
      : sql`${ref} = ${values[i]}`
  })
  const now = ctx.clock.now()
  if (latest.filter !== undefined)
    where.push(compileFilter(source.entity, latest.filter, { alias: 's', now, path: 'filter' }))
  if (latest.parentFilter !== undefined && parentId) {
    const parent = entityPlan(source.meta, parentId).entity
    where.push(
      compileFilter(parent, latest.parentFilter, { alias: 'p', now, path: 'parentFilter' }),
    )
  }
  // The writer's read scope: a child row is read through its parent's.
  const scope = scopePredicate(ctx, parentId ?? source.entity.id, 'read', {
    alias: parentId ? 'p' : 's',
  })
  if (scope) where.push(scope)
  return where
}

/** The newest row matching `values`, in the writer's read scope: `{ field name → value }`. */
async function searchNewest(
  ctx: Ctx,
  owner: EntityPlan,
  fields: Field[],
  values: unknown[],
): Promise<RecordData> {
  const latest = fields[0].latestFrom!
  const source = entityPlan(owner.meta, latest.entity)
  const parentId = source.entity.childOf
  const copied = fields.map((f) => columnsOf(source, f.latestFrom!.field))
  const select = copied.flatMap((c, j) =>
    c.refs.map((ref, i) => sql`${ref} as ${sql.identifier(`f${j}_${i}`)}`),
  )
  const join = parentId
    ? sql` join ${entityPlan(owner.meta, parentId).table} p on p.id = s.${sql.identifier(CHILD_COLUMNS.parentId)}`
    : sql``
  const order = columnsOf(source, latest.orderBy ?? 'createdAt').refs[0]
  const where = sql.join(conditions(ctx, source, latest, values), sql` and `)
  const rows = await ctx.db.query(
    sql`select ${sql.join(select, sql`, `)} from ${source.table} s${join} where ${where} order by ${order} desc nulls last, s.${sql.identifier(SYSTEM_COLUMNS.createdAt)} desc, s.id desc limit 1`,
  )
  const out: RecordData = {}
  fields.forEach((field, j) => {
    const row = rows[0]
    const cols = row ? copied[j].refs.map((_, i) => row[`f${j}_${i}`]) : []
    out[field.name] =
      row && visible(ctx, source, field.latestFrom!.field) ? copied[j].read(cols) : null
  })
  return out
}

/**
 * Copies into `row` the values its latestFrom searches found: null when nothing matched or a
 * match value is empty. Taken again on every write of the row, so a draft shows what is true now.
 */
export function applyLatest(
  plan: EntityPlan,
  row: RecordData,
  parent: RecordData | null,
  found: Map<string, RecordData> | undefined,
): void {
  for (const [, fields] of groupSearches(plan.latest)) {
    const latest = fields[0].latestFrom!
    const values = matchValues(plan, latest, row, parent)
    const hit = values ? found?.get(lookupKey(plan, latest, values)) : undefined
    for (const field of fields) row[field.name] = hit?.[field.name] ?? null
  }
}

/**
 * The latestFrom values a draft of the record would get if it were saved now (its own and each
 * child row's, in the caller's read scope), for a form to show before saving. Writes nothing.
 * @example await previewLatest(ctx, plan, { customer, lines: [{ product }] })
 *   // { lines: [{ lastPaidPrice: { amount: 90, currency: 'CNY' }, lastPaidOrder: '…' }] }
 */
export async function previewLatest(
  ctx: Ctx,
  plan: EntityPlan,
  draft: RecordData,
): Promise<RecordData> {
  const found = new Map<string, RecordData>()
  await loadLatest(ctx, plan, [draft], found)
  const pick = (p: EntityPlan, row: RecordData, parent: RecordData | null) => {
    const copy = { ...row }
    applyLatest(p, copy, parent, found)
    return Object.fromEntries(p.latest.map((f) => [f.name, copy[f.name]]))
  }
  const out: RecordData = plan.latest.length ? pick(plan, draft, null) : {}
  for (const child of plan.childTables) {
    const rows = draft[child.field.name]
    if (!child.plan.latest.length || !Array.isArray(rows)) continue
    out[child.field.name] = rows.map((row) =>
      row && typeof row === 'object' && !Array.isArray(row)
        ? pick(child.plan, row as RecordData, draft)
        : null,
    )
  }
  return out
}
