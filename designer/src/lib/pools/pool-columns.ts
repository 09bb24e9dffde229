import type { Entity } from '$metadata/entity'
import type { Field } from '$metadata/field'
import type { ListView } from '$metadata/view'

const DEFAULT_COLUMNS = 6
const NOT_IN_LISTS = new Set(['childTable', 'json', 'richText', 'longText', 'attachments'])

/**
 * The columns of a pool's list: the entity's list view (or its first plain fields) without the
 * owner, always empty in a pool, and the pool field, the same on every row.
 * @example poolListColumns(customer, customerList, 'pool').map((f) => f.name) // ['name', 'code', …]
 */
export function poolListColumns(
  entity: Entity,
  view: ListView | undefined,
  poolField: string,
): Field[] {
  const left = new Set([entity.ownerField, poolField])
  const usable = entity.fields.filter((f) => !left.has(f.name))
  if (!view) return usable.filter((f) => !NOT_IN_LISTS.has(f.type)).slice(0, DEFAULT_COLUMNS)
  const byName = new Map(usable.map((f) => [f.name, f]))
  return view.columns.map((c) => byName.get(c.field)).filter((f): f is Field => !!f)
}
