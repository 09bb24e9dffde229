import { sql, type SQL } from 'drizzle-orm'
import type { Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import type { MetadataSet } from '../registry'
import { storedChanges, toChanges } from './changes'
import { entityPlan, type EntityPlan } from './entity-plan'
import { toPgTextArray, valueReader } from './field-values'
import { coerceFormula, computeFormulas, ruleVars } from './formulas'
import { loadLookups, lookupData } from './lookups'
import { readRecord } from './read-record'
import { isUuid, type RecordData } from './record-data'
import { emptyRollup } from './rollup-values'
import { compileFilter } from './rule-engine'
import { sameValue } from './same-value'
import { buildUpdate, writeStamp } from './write-statements'

/** The roll-ups of one parent entity that fold a child entity through one reference field. */
interface RollupLink {
  parent: string
  via: string
  fields: Field[]
}

const linksByMeta = new WeakMap<MetadataSet, Map<string, RollupLink[]>>()

/** The roll-ups that fold records of `entityId`, grouped by parent and reference (cached). */
export function rollupLinks(meta: MetadataSet, entityId: string): RollupLink[] {
  let byChild = linksByMeta.get(meta)
  if (!byChild) {
    byChild = new Map()
    for (const parent of meta.entities.values()) {
      for (const field of parent.fields) {
        if (field.type !== 'formula' || !field.rollup) continue
        const links = byChild.get(field.rollup.entity) ?? []
        let link = links.find((l) => l.parent === parent.id && l.via === field.rollup!.via)
        if (!link) links.push((link = { parent: parent.id, via: field.rollup.via, fields: [] }))
        link.fields.push(field)
        byChild.set(field.rollup.entity, links)
      }
    }
    linksByMeta.set(meta, byChild)
  }
  return byChild.get(entityId) ?? []
}

/** Whether writes of this entity must refresh roll-ups of the records it refers to. */
export function feedsRollups(plan: EntityPlan): boolean {
  return rollupLinks(plan.meta, plan.entity.id).length > 0
}

/**
 * Recomputes, in the caller's transaction, the roll-ups of every record the written rows
 * (before and after the write) refer to, and the formulas that read them. Each parent row is
 * locked first, and the aggregates run in the next statement: under READ COMMITTED that
 * statement sees every child write committed before the lock was granted, so two payments
 * recorded at once are both counted. `for no key update`, because each child insert already
 * holds a key-share lock on its parent (the foreign key): `for update` would wait on it and
 * deadlock two such writers. The parent gets a new version and an audit entry.
 */
export async function refreshRollups(
  ctx: Ctx,
  child: EntityPlan,
  rows: (RecordData | null)[],
): Promise<void> {
  for (const link of rollupLinks(ctx.meta, child.entity.id)) {
    const ids = new Set<string>()
    for (const row of rows) if (row && isUuid(row[link.via])) ids.add(row[link.via] as string)
    if (ids.size) await refreshLink(ctx, child, link, [...ids].sort())
  }
}

async function refreshLink(ctx: Ctx, child: EntityPlan, link: RollupLink, ids: string[]) {
  const parent = entityPlan(ctx.meta, link.parent)
  const idList = toPgTextArray(ids)
  const locked = await ctx.db.query(
    sql`select ${parent.selectList} from ${parent.table} where id = any(${idList}::uuid[]) order by id for no key update`,
  )
  const folded = new Map<Field, Map<string, unknown>>()
  for (const field of link.fields)
    folded.set(field, await aggregate(ctx, child, link.via, field, idList))
  const dependents = dependentFormulas(parent)
  const readsChildren = dependents.some((f) =>
    parent.childTables.some((c) => ruleVars(f.formula as Rule).has(c.field.name)),
  )
  for (const row of locked) {
    const old = readsChildren
      ? await readRecord(ctx, parent, row.id as string, false)
      : parent.toRecord(row)
    if (!old) continue
    const record: RecordData = { ...old }
    for (const [field, values] of folded)
      record[field.name] = values.has(old.id as string)
        ? coerceFormula(field, values.get(old.id as string))
        : emptyRollup(field)
    if (dependents.length) {
      const found = parent.lookups.length ? await loadLookups(ctx, parent, [record]) : undefined
      computeFormulas(dependents, record, ctx.clock.now(), lookupData(parent, record, found))
    }
    const changed = parent.stored
      .filter((s) => !sameValue(old[s.name], record[s.name]))
      .map((s) => s.name)
    if (!changed.length) continue
    await ctx.db.query(
      buildUpdate(
        parent,
        writeStamp(ctx, parent),
        old.id as string,
        old.version as number,
        record,
        storedChanges(parent, changed),
        toChanges(changed, record, old),
      ),
    )
  }
}

/** Formulas of `plan` that read a roll-up, directly or through another formula, in order. */
function dependentFormulas(plan: EntityPlan): Field[] {
  const moved = new Set(plan.rollups.map((f) => f.name))
  const out: Field[] = []
  for (const field of plan.formulas) {
    if ([...ruleVars(field.formula as Rule)].some((name) => moved.has(name))) {
      out.push(field)
      moved.add(field.name)
    }
  }
  return out
}

const SYSTEM_ORDER: Record<string, string> = { createdAt: 'created_at', updatedAt: 'updated_at' }

/** `parent id → folded value` for the parents in `idList` (a uuid[] literal), in one query. */
export async function aggregate(
  ctx: Ctx,
  child: EntityPlan,
  via: string,
  field: Field,
  idList: string,
): Promise<Map<string, unknown>> {
  const rollup = field.rollup!
  const col = (name: string): SQL =>
    SYSTEM_ORDER[name]
      ? sql`c.${sql.identifier(SYSTEM_ORDER[name])}`
      : sql`c.${child.storedByName.get(name)!.idents[0]}`
  const value = rollup.field ? col(rollup.field) : sql`c.id`
  const agg =
    rollup.op === 'count'
      ? sql`count(*)`
      : rollup.op === 'sum'
        ? sql`sum(${value})`
        : rollup.op === 'min'
          ? sql`min(${value})`
          : rollup.op === 'max'
            ? sql`max(${value})`
            : sql`(array_agg(${value} order by ${col(rollup.orderBy ?? 'createdAt')} desc nulls last, c.id desc))[1]`
  const filter = rollup.filter
    ? sql` and (${compileFilter(child.entity, rollup.filter, { alias: 'c', now: ctx.clock.now(), path: 'rollup.filter' })})`
    : sql``
  const viaCol = col(via)
  const rows = await ctx.db.query(
    sql`select ${viaCol} as pid, ${agg} as v from ${child.table} c where ${viaCol} = any(${idList}::uuid[])${filter} group by ${viaCol}`,
  )
  const read = valueReader(field)
  return new Map(rows.map((r) => [r.pid as string, read(r.v)]))
}
