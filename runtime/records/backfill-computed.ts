import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { entityPlan, type EntityPlan } from './entity-plan'
import { toParams, toPgTextArray } from './field-values'
import { coerceFormula, computeFormulas, ruleVars } from './formulas'
import { loadLookups, lookupData } from './lookups'
import { readRecord } from './read-record'
import type { RecordData } from './record-data'
import { emptyRollup } from './rollup-values'
import { aggregate } from './rollups'
import { sameValue } from './same-value'

/** Rows per batch: each batch is one short transaction, so readers and writers barely wait. */
export const BACKFILL_BATCH = 1000

const COMPUTED_KEYS = ['type', 'formula', 'rollup', 'resultType', 'scale', 'currency'] as const

function computedShape(field: Field | undefined): string {
  if (!field || field.type !== 'formula') return ''
  return JSON.stringify(COMPUTED_KEYS.map((key) => field[key] ?? null))
}

/**
 * The entities whose stored computed values a publish makes stale: a formula or roll-up field
 * added, or its expression, result type, scale or currency changed (matched by field id).
 */
export function staleComputedEntities(before: Entity[], after: Entity[]): string[] {
  const old = new Map(before.map((e) => [e.id, e]))
  const stale: string[] = []
  for (const entity of after) {
    const prev = new Map((old.get(entity.id)?.fields ?? []).map((f) => [f.id ?? f.name, f]))
    const changed = entity.fields.some(
      (f) => f.type === 'formula' && computedShape(f) !== computedShape(prev.get(f.id ?? f.name)),
    )
    if (changed && old.has(entity.id)) stale.push(entity.id)
  }
  return stale
}

/**
 * Recomputes every formula and roll-up of existing rows of `entityIds` (after a publish made them
 * stale), in batches of ids, each batch its own transaction with its rows locked only meanwhile.
 * Plain updates of the computed columns: no version, no audit, since nothing a person wrote
 * changed. Answers how many rows got new values.
 */
export async function backfillComputed(ctx: Ctx, entityIds: string[]): Promise<number> {
  let updated = 0
  for (const id of entityIds) {
    const plan = entityPlan(ctx.meta, id)
    if (!plan.formulas.length && !plan.rollups.length) continue
    let after: string | null = null
    for (;;) {
      const page: { id: string }[] = await ctx.db.query<{ id: string }>(
        after === null
          ? sql`select id from ${plan.table} order by id limit ${BACKFILL_BATCH}`
          : sql`select id from ${plan.table} where id > ${after} order by id limit ${BACKFILL_BATCH}`,
      )
      if (!page.length) break
      after = page[page.length - 1].id
      const ids = page.map((r) => r.id)
      updated += await ctx.db.transaction((tx) => backfillBatch({ ...ctx, db: tx }, plan, ids))
    }
  }
  return updated
}

async function backfillBatch(ctx: Ctx, plan: EntityPlan, ids: string[]): Promise<number> {
  const idList = toPgTextArray(ids)
  const rows = await ctx.db.query(
    sql`select ${plan.selectList} from ${plan.table} where id = any(${idList}::uuid[]) order by id for no key update`,
  )
  const readsChildren = plan.formulas.some((f) =>
    plan.childTables.some((c) => ruleVars(f.formula as Rule).has(c.field.name)),
  )
  const records: RecordData[] = []
  for (const row of rows) {
    const full = readsChildren ? await readRecord(ctx, plan, row.id as string, false) : null
    records.push(full ?? plan.toRecord(row))
  }
  const folded = new Map<Field, Map<string, unknown>>()
  for (const field of plan.rollups) {
    const child = entityPlan(ctx.meta, field.rollup!.entity)
    folded.set(field, await aggregate(ctx, child, field.rollup!.via, field, idList))
  }
  const found = plan.lookups.length ? await loadLookups(ctx, plan, records) : undefined
  const computed = [...plan.rollups, ...plan.formulas]
  let updated = 0
  for (const old of records) {
    const record = { ...old }
    for (const [field, values] of folded) {
      const id = old.id as string
      record[field.name] = values.has(id)
        ? coerceFormula(field, values.get(id))
        : emptyRollup(field)
    }
    computeFormulas(plan.formulas, record, ctx.clock.now(), lookupData(plan, record, found))
    const sets: SQL[] = []
    for (const field of computed) {
      if (sameValue(old[field.name], record[field.name])) continue
      const stored = plan.storedByName.get(field.name)!
      const [value] = toParams(field, record[field.name])
      sets.push(sql`${stored.idents[0]} = ${value}`)
    }
    if (!sets.length) continue
    await ctx.db.query(
      sql`update ${plan.table} set ${sql.join(sets, sql`, `)} where id = ${old.id as string}`,
    )
    updated++
  }
  return updated
}
