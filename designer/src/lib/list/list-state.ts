import type { Entity } from '$metadata/entity'
import { isSortableField } from '$runtime/rules'
import { isFilterable, OPERATORS, operatorsFor, type Condition, type Operator } from './filter'

/** What a list shows beyond its view: filter conditions, how they join, and the sort. */
export interface ListState {
  conditions: Condition[]
  join: 'and' | 'or'
  /** '' when the list keeps its view's sort. */
  sort: string
}

// One condition per `where` parameter: `field:op:value` (field names and operators hold no
// colon, so the value may). Readable in the address bar, and a link can be written by hand.
const WHERE = 'where'

/**
 * The query string of a list state (without '?'), so reload, back and a shared link keep it.
 * @example toListQuery({ conditions: [{ field: 'customer', op: 'eq', value: id }], join: 'and', sort: '' })
 * // 'where=customer%3Aeq%3A<id>'
 */
export function toListQuery(state: ListState): string {
  const params = new URLSearchParams()
  for (const c of state.conditions) params.append(WHERE, `${c.field}:${c.op}:${c.value}`)
  if (state.join === 'or' && state.conditions.length > 1) params.set('join', 'or')
  if (state.sort) params.set('sort', state.sort)
  return params.toString()
}

/**
 * The list state a query string names, keeping only what the entity allows: conditions on
 * filterable fields with an operator their type takes, and a sort the server accepts (a sort it
 * would refuse is dropped, so a header never marks an order that is not shown).
 */
export function fromListQuery(entity: Entity, search: string | URLSearchParams): ListState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search
  const conditions: Condition[] = []
  for (const raw of params.getAll(WHERE)) {
    const [name, op, ...rest] = raw.split(':')
    const field = entity.fields.find((f) => f.name === name)
    if (!field || !isFilterable(field) || !isOperator(op)) continue
    if (!operatorsFor(field).includes(op)) continue
    conditions.push({ field: field.name, op, value: rest.join(':') })
  }
  const sort = params.get('sort') ?? ''
  return {
    conditions,
    join: params.get('join') === 'or' ? 'or' : 'and',
    sort: isSortString(entity, sort) ? sort : '',
  }
}

/**
 * The address of an entity's list filtered to the records whose `field` is `id` (a related
 * list's "More…").
 */
export function filteredListHref(entity: string, field: string, id: string): string {
  const query = toListQuery({ conditions: [{ field, op: 'eq', value: id }], join: 'and', sort: '' })
  return `/e/${entity}?${query}`
}

/** Whether every key of `name,-other` is one the server sorts by. */
export function isSortString(entity: Entity, sort: string): boolean {
  if (!sort.trim()) return false
  return sort.split(',').every((part) => isSortableField(entity, part.trim().replace(/^[-+]/, '')))
}

function isOperator(op: string | undefined): op is Operator {
  return (OPERATORS as readonly string[]).includes(op ?? '')
}
