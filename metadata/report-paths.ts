import type { Entity } from './entity'
import type { Field, FieldType } from './field'
import { systemKeyType } from './system-fields'

/** Where a report path ends: the field, its type, and the child table it passed through. */
export interface ReportPathEnd {
  /** Undefined for a system key (createdAt, createdBy, …). */
  field?: Field
  /** The type the value behaves as (a formula's is its result's). */
  type: FieldType
  /** The entity the field belongs to. */
  entity: Entity
  /** The source's child-table field the path enters, if any (its rows become the report's). */
  childTable?: string
}

/** A resolved path, or why it does not resolve. */
export type ResolvedReportPath = ReportPathEnd | { problem: string }

/** Types no report shows: long texts, files and raw JSON. */
export const UNREPORTABLE_TYPES: ReadonlySet<FieldType> = new Set([
  'longText',
  'richText',
  'json',
  'attachment',
  'attachments',
])

const NUMERIC: ReadonlySet<FieldType> = new Set(['integer', 'decimal', 'money', 'percent'])
const DATES: ReadonlySet<FieldType> = new Set(['date', 'datetime'])

/** Whether sum and avg may fold values of this type. */
export const isNumericType = (type: FieldType) => NUMERIC.has(type)

/** Whether a date bucket or a date range applies to values of this type. */
export const isDateType = (type: FieldType) => DATES.has(type)

/** The type a field's value behaves as: a formula's result type, else its own. */
function valueTypeOf(field: Field): FieldType {
  if (field.type !== 'formula') return field.type
  switch (field.resultType) {
    case 'number':
      return 'decimal'
    case 'money':
      return 'money'
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    case 'datetime':
      return 'datetime'
    default:
      return 'text'
  }
}

/**
 * Follows a report path from the source: each name but the last must be a reference (or, first
 * of all, a child table of the source); the last a field or system key that is not a child table.
 * @example resolveReportPath(salesOrder, 'lines.product.category', entities)
 *   // { field: category, type: 'select', entity: product, childTable: 'lines' }
 */
export function resolveReportPath(
  source: Entity,
  path: string,
  entities: ReadonlyMap<string, Entity>,
): ResolvedReportPath {
  const names = path.split('.')
  let entity = source
  let childTable: string | undefined
  for (const [i, name] of names.entries()) {
    const last = i === names.length - 1
    const field = entity.fields.find((f) => f.name === name)
    const system = field ? undefined : systemKeyType(name)
    if (system && last) return { type: system, entity, childTable }
    if (system) return { problem: `'${name}' is a system field, so '${path}' cannot go on` }
    if (!field) return { problem: `no field '${name}' in entity '${entity.id}'` }
    if (last) {
      if (field.type === 'childTable')
        return { problem: `'${entity.id}.${name}' is a child table: name a field of its rows` }
      return { field, type: valueTypeOf(field), entity, childTable }
    }
    if (field.type === 'childTable' && i > 0)
      return { problem: `'${entity.id}.${name}' is a child table: only the source's own join` }
    if (field.type !== 'reference' && field.type !== 'childTable')
      return {
        problem: `'${entity.id}.${name}' is a ${field.type} field, not a reference: '${path}' cannot go on`,
      }
    if (field.type === 'childTable') childTable = name
    const next = field.entity === undefined ? undefined : entities.get(field.entity)
    if (!next) return { problem: `no entity '${field.entity}'` }
    entity = next
  }
  /* c8 ignore next */
  return { problem: 'is empty' }
}
