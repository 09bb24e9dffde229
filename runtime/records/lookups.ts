import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { entityPlan, type EntityPlan } from './entity-plan'
import { toPgTextArray } from './field-values'
import { hasLatest, loadLatest } from './latest-from'
import { isUuid, type RecordData } from './record-data'

/**
 * Lookups: a formula reads a field of the record a reference points at
 * (`{"var": "product.unitPrice"}`), and `fillFrom` copies one when the reference is picked. The
 * records are read in the write's transaction, by id, before the write is prepared.
 */

/** Where formulas find looked-up records: `$ref.<reference field>.<target field>`. */
export const LOOKUP_KEY = '$ref'

/** The reference fields of `entity` that formulas read through or fillFrom copies from. */
export function lookupFields(entity: Entity): Field[] {
  const names = new Set<string>()
  for (const field of entity.fields) {
    if (field.fillFrom) names.add(field.fillFrom.reference)
    if (field.formula !== undefined) rewriteLookups(entity, field.formula as Rule, names)
  }
  return entity.fields.filter((f) => f.type === 'reference' && names.has(f.name))
}

/**
 * The rule with every var path through a reference field (`product.unitPrice`) turned into a
 * path into the looked-up records (`$ref.product.unitPrice`); `{"var": "product"}` stays the id.
 */
export function rewriteLookups(entity: Entity, rule: Rule, hops = new Set<string>()): Rule {
  const refs = new Set(entity.fields.filter((f) => f.type === 'reference').map((f) => f.name))
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (!node || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [op, arg] of Object.entries(node)) {
      if (op === 'var') out[op] = rewriteVar(arg, refs, hops)
      else out[op] = walk(arg)
    }
    return out
  }
  return walk(rule) as Rule
}

function rewriteVar(arg: unknown, refs: Set<string>, hops: Set<string>): unknown {
  const path = Array.isArray(arg) ? arg[0] : arg
  if (typeof path !== 'string' || !path.includes('.')) return arg
  const first = path.slice(0, path.indexOf('.'))
  if (!refs.has(first)) return arg
  hops.add(first)
  const rewritten = `${LOOKUP_KEY}.${path}`
  return Array.isArray(arg) ? [rewritten, ...arg.slice(1)] : rewritten
}

/** Whether a write of `plan` (or of its child rows) reads referenced or latestFrom records. */
export function needsLookups(plan: EntityPlan): boolean {
  return (
    plan.lookups.length > 0 ||
    plan.childTables.some((c) => c.plan.lookups.length > 0) ||
    hasLatest(plan)
  )
}

/**
 * Looked-up records by id as the database reads it (lower case), for a write and its rows; also
 * the values latestFrom searches found (under keys that are no id, see latest-from.ts).
 */
export type Lookups = Map<string, RecordData>

/**
 * Reads the records the write's references point at (one query per target entity) and, with
 * `latest` (writes, not recomputations), what its latestFrom fields search for.
 */
export async function loadLookups(
  ctx: Ctx,
  plan: EntityPlan,
  records: RecordData[],
  { latest = true }: { latest?: boolean } = {},
): Promise<Lookups> {
  const wanted = new Map<EntityPlan, Set<string>>()
  const collect = (p: EntityPlan, rows: RecordData[]) => {
    for (const field of p.lookups) {
      const target = p.meta.entities.has(field.entity!) ? entityPlan(p.meta, field.entity!) : null
      if (!target) continue
      for (const row of rows) {
        const id = row?.[field.name]
        if (!isUuid(id)) continue
        if (!wanted.has(target)) wanted.set(target, new Set())
        wanted.get(target)!.add(id as string)
      }
    }
  }
  collect(plan, records)
  for (const child of plan.childTables) {
    const rows = records.flatMap((r) =>
      Array.isArray(r?.[child.field.name]) ? r[child.field.name] : [],
    )
    collect(child.plan, rows as RecordData[])
  }
  const found: Lookups = new Map()
  for (const [target, ids] of wanted) {
    const rows = await ctx.db.query(
      sql`select ${target.selectList} from ${target.table} where id = any(${toPgTextArray([...ids])}::uuid[])`,
    )
    for (const row of rows) found.set(row.id as string, target.toRecord(row))
  }
  if (latest && hasLatest(plan)) await loadLatest(ctx, plan, records, found)
  return found
}

/** `{ product: {…the product record…} }` for one record, as formulas read it under `$ref`. */
export function lookupData(plan: EntityPlan, record: RecordData, found?: Lookups): RecordData {
  const data: RecordData = {}
  if (!found) return data
  for (const field of plan.lookups) {
    const id = record[field.name]
    data[field.name] = typeof id === 'string' ? (found.get(id.toLowerCase()) ?? null) : null
  }
  return data
}

/** Fills each `fillFrom` field the writer left out from the record its reference now picks. */
export function applyFills(
  plan: EntityPlan,
  values: RecordData,
  old: RecordData | null,
  found: Lookups | undefined,
): void {
  if (!found) return
  for (const field of plan.fills) {
    const { reference, field: source } = field.fillFrom!
    const id = values[reference]
    // Empty counts as left out: a form sends the blank it shows before the pick.
    const given = values[field.name]
    if ((given !== undefined && given !== null && given !== '') || typeof id !== 'string') continue
    if (old && old[reference] === id) continue
    const value = found.get(id.toLowerCase())?.[source]
    if (value !== undefined && value !== null) values[field.name] = structuredClone(value)
  }
}
