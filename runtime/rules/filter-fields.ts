import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import { UNFILTERABLE_TYPES, type Field } from '../../metadata/field'
import {
  CHILD_COLUMNS,
  SYSTEM_COLUMNS,
  columnName,
  currencyColumnName,
  hasColumn,
} from '../schema/naming'
import { rejectFilter, show } from './filter-errors'
import type { ExprNode, FilterScope, ValueType } from './filter-types'

/** A field or system column as the filter and sort compilers see it. */
export interface ColumnInfo {
  field: string
  column: string
  type: ValueType
  nullable: boolean
  integer: boolean
  /** Set for entity fields; system columns have none. */
  def?: Field
}

const SYSTEM: Record<string, Omit<ColumnInfo, 'field'>> = {
  id: { column: SYSTEM_COLUMNS.id, type: 'uuid', nullable: false, integer: false },
  version: { column: SYSTEM_COLUMNS.version, type: 'number', nullable: false, integer: true },
  createdAt: {
    column: SYSTEM_COLUMNS.createdAt,
    type: 'datetime',
    nullable: false,
    integer: false,
  },
  updatedAt: {
    column: SYSTEM_COLUMNS.updatedAt,
    type: 'datetime',
    nullable: false,
    integer: false,
  },
  createdBy: { column: SYSTEM_COLUMNS.createdBy, type: 'uuid', nullable: true, integer: false },
  updatedBy: { column: SYSTEM_COLUMNS.updatedBy, type: 'uuid', nullable: true, integer: false },
}

const CHILD: Record<string, Omit<ColumnInfo, 'field'>> = {
  parentId: { column: CHILD_COLUMNS.parentId, type: 'uuid', nullable: false, integer: false },
  position: { column: CHILD_COLUMNS.position, type: 'number', nullable: false, integer: true },
}

/** The type a field's value has in memory, or null when filters cannot use it (json, files). */
export function valueTypeOf(field: Field): ValueType | null {
  if (UNFILTERABLE_TYPES.has(field.type)) return null
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
      return 'number'
    case 'boolean':
      return 'bool'
    case 'date':
    case 'datetime':
    case 'money':
    case 'multiSelect':
      return field.type === 'multiSelect' ? 'textArray' : field.type
    case 'reference':
    case 'user':
    case 'department':
      return 'uuid'
    case 'formula':
      if (field.resultType === 'datetime') return 'datetime'
      return field.resultType === 'number' || field.resultType === 'money'
        ? 'number'
        : field.resultType === 'boolean'
          ? 'bool'
          : field.resultType === 'date'
            ? 'date'
            : 'text'
    default:
      return 'text'
  }
}

/** Looks a name up among the entity's fields and system columns; undefined when unknown. */
export function findColumn(entity: Entity, name: string): ColumnInfo | undefined {
  const system = Object.hasOwn(SYSTEM, name)
    ? SYSTEM[name]
    : entity.childOf && Object.hasOwn(CHILD, name)
      ? CHILD[name]
      : undefined
  if (system) return { field: name, ...system }
  const field = entity.fields.find((f) => f.name === name)
  if (!field || !hasColumn(field)) return undefined
  const type = valueTypeOf(field)
  if (!type) return undefined
  return {
    field: name,
    column: columnName(field),
    type,
    nullable: true,
    integer: field.type === 'integer',
    def: field,
  }
}

/** A column reference, qualified by the alias when there is one. */
export function columnSql(scope: Pick<FilterScope, 'alias'>, column: string): SQL {
  return scope.alias
    ? sql`${sql.identifier(scope.alias)}.${sql.identifier(column)}`
    : sql`${sql.identifier(column)}`
}

/** `{"var": path}` over the record → the column it reads, or a 400 naming the path. */
export function resolveVar(scope: FilterScope, args: unknown): ExprNode {
  const list = Array.isArray(args) ? args : [args]
  if (list.length > 1 && list[1] !== null) {
    rejectFilter(scope, `var with a default value is not supported in filters (${show(list[0])})`)
  }
  const path = list[0]
  if (path === null || path === undefined || path === '') {
    rejectFilter(scope, 'the whole record cannot be used as a value')
  }
  const [name, sub, ...rest] = String(path).split('.')
  const info = findColumn(scope.entity, name)
  if (!info) {
    const field = scope.entity.fields.find((f) => f.name === name)
    if (field) rejectFilter(scope, `field '${name}' (${field.type}) cannot be used in a filter`)
    return rejectFilter(scope, `unknown field '${name}'`)
  }
  const label = `field '${String(path)}'`
  const column = columnSql(scope, info.column)
  if (info.type === 'money' && info.def && rest.length === 0 && sub !== undefined) {
    return moneyPart(scope, info.def, column, sub, label)
  }
  if (sub !== undefined) return rejectFilter(scope, `unknown field '${String(path)}'`)
  return {
    kind: 'expr',
    type: info.type,
    sql: column,
    nullable: info.nullable,
    integer: info.integer,
    label,
  }
}

/** `money.amount` is the amount column; `money.currency` is null whenever the money value is. */
function moneyPart(
  scope: FilterScope,
  field: Field,
  amount: SQL,
  part: string,
  label: string,
): ExprNode {
  if (part === 'amount') return { kind: 'expr', type: 'number', sql: amount, nullable: true, label }
  if (part !== 'currency') return rejectFilter(scope, `unknown field '${field.name}.${part}'`)
  const currency = columnSql(scope, currencyColumnName(field))
  return {
    kind: 'expr',
    type: 'text',
    sql: sql`(case when ${amount} is null then null else ${currency} end)`,
    nullable: true,
    label,
  }
}
