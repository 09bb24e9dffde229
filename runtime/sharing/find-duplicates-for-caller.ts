import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { canAttempt, fieldWords, hiddenFields } from '../permissions'
import { dedupRulePredicate, entityPlan, mayNotAny } from '../records'
import { requireCaller } from './caller'
import { validateDuplicateValues } from './duplicate-values'
import { entityTable } from './load-targets'
import { ownerColumn } from './record-owner'
import { scopeCondition, T } from './scope-condition'

/** A record the candidate values collide with; unreadable ones carry no id and no other field. */
export type DuplicateHit =
  | { id: string; title: string | null; ownerName: string | null; readable: true }
  | { title: string | null; ownerName: string | null; readable: false }

/** Matches reported per dedup rule. */
export const MAX_HITS_PER_RULE = 10

interface HitRow {
  rule: number
  id: string
  title: string | null
  owner_name: string | null
  readable: boolean
}

/**
 * The anti-collision (撞单) lookup: applies the entity's dedup rules to candidate values across
 * ALL records. Records the caller may read come back with their id; for the others only that a
 * match exists, its title and its owner's name. 403 when the caller may neither read nor create
 * the entity; 422 naming unknown fields or badly shaped values.
 * @example await findDuplicatesForCaller(ctx, 'customer', { name: 'ACME ' })
 *   // [{ title: 'Acme', ownerName: 'Wang Wei', readable: false }]
 */
export async function findDuplicatesForCaller(
  ctx: Ctx,
  entityId: string,
  values: Record<string, unknown>,
): Promise<DuplicateHit[]> {
  requireCaller(ctx)
  const plan = entityPlan(ctx.meta, entityId)
  const record = validateDuplicateValues(plan.entity, values, ctx.user?.locale)
  if (!canAttempt(ctx, entityId, 'read') && !canAttempt(ctx, entityId, 'create')) {
    throw mayNotAny(ctx, entityId, 'lookUp')
  }
  const hidden = assertComparable(ctx, plan.entity, record)
  const owner = ownerColumn(plan.entity).column
  const titleColumn = hidden?.has(plan.entity.titleField ?? '') ? null : plan.titleColumn
  const title = titleColumn ? sql`${T}.${sql.identifier(titleColumn)}::text` : sql`null`
  const self = record.id ? sql` and ${T}.id <> ${String(record.id)}::uuid` : sql``
  const readable = scopeCondition(ctx, entityId, 'read')
  const queries: SQL[] = []
  ;(plan.entity.dedup ?? []).forEach((rule, i) => {
    const predicate = dedupRulePredicate(plan, rule, record)
    if (!predicate) return
    queries.push(sql`(select ${i}::int as rule, ${T}.id::text as id, ${title} as title,
        (select u.display_name from users u where u.id = ${T}.${owner}) as owner_name,
        coalesce(${readable}, false) as readable
      from ${entityTable(plan.entity)} where ${predicate}${self}
      order by ${T}.created_at, ${T}.id limit ${MAX_HITS_PER_RULE})`)
  })
  if (!queries.length) return []
  const rows = await ctx.db.query<HitRow>(sql.join(queries, sql` union all `))
  return toHits(rows)
}

/** 403 naming the first compared field the caller may not read; returns the hidden fields. */
function assertComparable(ctx: Ctx, entity: Entity, record: Record<string, unknown>) {
  const hidden = hiddenFields(ctx, entity.id)
  const compared = new Set((entity.dedup ?? []).flatMap((rule) => rule.fields))
  for (const name of Object.keys(record)) {
    if (hidden?.has(name) && compared.has(name)) {
      const w = fieldWords(ctx.user?.locale, ctx.meta.entities)
      throw new ForbiddenError(w.text('mayNotRead', { field: w.field(entity.id, name) }), [
        { path: `values.${name}`, message: w.text('thisNotReadable') },
      ])
    }
  }
  return hidden
}

/** One hit per record, in rule order; unreadable records reduced to title and owner name. */
function toHits(rows: HitRow[]): DuplicateHit[] {
  const seen = new Set<string>()
  const hits: DuplicateHit[] = []
  for (const row of [...rows].sort((a, b) => a.rule - b.rule)) {
    if (seen.has(row.id)) continue
    seen.add(row.id)
    hits.push(
      row.readable
        ? { id: row.id, title: row.title ?? row.id, ownerName: row.owner_name, readable: true }
        : { title: row.title, ownerName: row.owner_name, readable: false },
    )
  }
  return hits
}
