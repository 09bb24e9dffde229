import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { BadRequestError } from '../errors'
import { findColumn } from './filter-fields'
import type { ValueType } from './filter-types'

/** One validated sort key; `column` is the snake_case column (money: its amount). */
export interface SortKey {
  field: string
  column: string
  direction: 'asc' | 'desc'
  /** The value type, so keyset predicates can cast their parameters. */
  type: ValueType
}

/** Most keys one sort may have. */
export const MAX_SORT_KEYS = 5
const SORTABLE_SYSTEM = new Set(['id', 'createdAt', 'updatedAt', 'position'])

/**
 * Parses `name,-createdAt` (`-` descending, `+` or nothing ascending) into keys over indexed
 * fields only, so every list order can use an index. Unknown or unindexed fields → 400 at `sort`.
 * The caller adds a unique tiebreaker (id) for keyset paging.
 * @example compileSort(customer, '-createdAt') // [{ field: 'createdAt', column: 'created_at', direction: 'desc', type: 'datetime' }]
 */
export function compileSort(entity: Entity, sort: string): SortKey[] {
  const fail = (message: string): never => {
    throw new BadRequestError(`Invalid sort: ${message}`, [{ path: 'sort', message }])
  }
  if (sort.trim() === '') return []
  const parts = sort.split(',').map((p) => p.trim())
  if (parts.length > MAX_SORT_KEYS) fail(`at most ${MAX_SORT_KEYS} sort keys are allowed`)
  const keys: SortKey[] = []
  for (const part of parts) {
    const direction = part.startsWith('-') ? 'desc' : 'asc'
    const name = part.replace(/^[-+]/, '')
    if (name === '') fail('empty sort key')
    const info = findColumn(entity, name)
    if (!info) return fail(`unknown field '${name}'`)
    if (keys.some((k) => k.field === name)) fail(`field '${name}' appears twice`)
    if (!isSortableField(entity, name))
      fail(`field '${name}' is not indexed and cannot be sorted on`)
    keys.push({
      field: name,
      column: info.column,
      direction,
      type: info.type === 'money' ? 'number' : info.type,
    })
  }
  return keys
}

/**
 * Whether a list of the entity may be sorted by this field (or system key): only by columns an
 * index leads, so the order never needs a full sort. The workspace asks this before it offers
 * a column header as a sort.
 */
export function isSortableField(entity: Entity, name: string): boolean {
  const info = findColumn(entity, name)
  if (!info) return false
  return info.def
    ? isIndexed(entity, info.def) && info.type !== 'textArray'
    : SORTABLE_SYSTEM.has(name)
}

/** Whether the table has an index led by this field's column (see runtime/schema). */
function isIndexed(entity: Entity, field: Field): boolean {
  return (
    field.index === true ||
    field.unique === true ||
    entity.titleField === field.name ||
    entity.ownerField === field.name ||
    (entity.searchFields ?? []).includes(field.name) ||
    field.type === 'reference' ||
    field.type === 'user' ||
    field.type === 'department' ||
    (entity.indexes ?? []).some((ix) => ix.fields[0] === field.name)
  )
}
