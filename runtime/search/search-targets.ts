import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { SelectOption } from '../../metadata/field'
import type { Ctx } from '../context'
import { hiddenFields, scopePredicate } from '../permissions'
import { entityPlan, type EntityPlan } from '../records'
import { isTextLike } from '../schema'

/** The alias every search branch gives its entity table (scopes are compiled for it). */
export const SEARCH_ALIAS = 't'

/** A column a search reads, with the field name it answers for. */
export interface SearchColumn {
  name: string
  /** `"t"."column"`. */
  column: SQL
  /** A select field's options: it matches by an option's code or label, in any language. */
  options?: readonly SelectOption[]
}

/** One entity as the caller may search it: only readable fields, only rows in the read scope. */
export interface SearchTarget {
  entity: Entity
  table: SQL
  /** The read scope over alias t; null when unrestricted. */
  scope: SQL | null
  /** The title column when the caller may read it (any type; shown as text). */
  title: SearchColumn | null
  /** Readable text-like columns of `searchFields` and the title field, matched against q. */
  fields: SearchColumn[]
  /** Readable `subtitleFields`, answered with each hit so a picker can tell equal titles apart. */
  subtitle: SearchColumn[]
}

const alias = sql.identifier(SEARCH_ALIAS)

function columnOf(plan: EntityPlan, name: string): SearchColumn | null {
  const stored = plan.storedByName.get(name)
  if (!stored) return null
  const field = plan.fieldsByName.get(name)
  const column = sql`${alias}.${stored.idents[0]}`
  return field?.type === 'select'
    ? { name, column, options: field.options ?? [] }
    : { name, column }
}

/**
 * What the caller may search in each entity. A hidden field is neither searched nor shown: a
 * match on it would reveal its value. Entities with nothing left to search are left out.
 */
export function searchTargets(
  ctx: Pick<Ctx, 'user' | 'meta' | 'clock'>,
  entities: Entity[],
): SearchTarget[] {
  const out: SearchTarget[] = []
  for (const entity of entities) {
    const plan = entityPlan(ctx.meta, entity.id)
    const hidden = hiddenFields(ctx, entity.id)
    const readable = (name: string | undefined): name is string =>
      !!name && plan.storedByName.has(name) && !hidden?.has(name)
    const names = [...(entity.searchFields ?? [])]
    if (entity.titleField && !names.includes(entity.titleField)) names.unshift(entity.titleField)
    const fields = names
      .filter((name) => readable(name) && isTextLike(plan.fieldsByName.get(name)!))
      .map((name) => columnOf(plan, name)!)
    if (!fields.length) continue
    const subtitle = (entity.subtitleFields ?? []).filter(readable).map((n) => columnOf(plan, n)!)
    out.push({
      entity,
      table: plan.table,
      scope: scopePredicate(ctx, entity.id, 'read', { alias: SEARCH_ALIAS }),
      title: readable(entity.titleField) ? columnOf(plan, entity.titleField) : null,
      fields,
      subtitle,
    })
  }
  return out
}
