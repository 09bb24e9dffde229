import type { Entity } from '../../metadata/entity'
import type { Issue } from '../errors'
import { autoNumberSequenceName, isSequentialAutoNumber } from './auto-number-sequences'
import { buildIndexSpecs } from './ddl'
import {
  CHILD_COLUMNS,
  SYSTEM_COLUMNS,
  columnName,
  currencyColumnName,
  hasColumn,
  tableName,
} from './naming'
import { indexField } from './plan-indexes'

/** PostgreSQL keeps the first 63 bytes of a longer identifier (the names here are ASCII). */
const asStored = (name: string) => name.slice(0, 63)

/** A name in use: what uses it (for the message) and, for relations, which entity. */
interface Claim {
  by: string
  entity?: string
}

/** Takes `name` for `claim`; answers the earlier claim when the name is already taken. */
function take(claims: Map<string, Claim>, name: string, claim: Claim): Claim | undefined {
  const stored = asStored(name)
  const earlier = claims.get(stored)
  if (!earlier) claims.set(stored, claim)
  return earlier
}

/** Columns: two fields, or a field and a system column, must not become one column. */
function columnIssues(entity: Entity): Issue[] {
  const issues: Issue[] = []
  const claims = new Map<string, Claim>()
  for (const [key, column] of Object.entries(SYSTEM_COLUMNS))
    take(claims, column, { by: `system key '${key}'` })
  if (entity.childOf)
    for (const [key, column] of Object.entries(CHILD_COLUMNS))
      take(claims, column, { by: `child key '${key}'` })
  entity.fields.forEach((field, i) => {
    if (!hasColumn(field)) return
    const columns = [columnName(field)]
    if (field.type === 'money') columns.push(currencyColumnName(field))
    for (const column of columns) {
      const earlier = take(claims, column, { by: `field '${field.name}'` })
      if (earlier)
        issues.push({
          path: `entities[${entity.id}].fields[${i}].name`,
          message: `would be stored in column '${asStored(column)}', which ${earlier.by} already uses`,
        })
    }
  })
  return issues
}

/** The path of the field a name belongs to, or of the entity when no one field does. */
function fieldPath(entity: Entity, field: string | undefined): string {
  const i = field === undefined ? -1 : entity.fields.findIndex((f) => f.name === field)
  return i < 0 ? `entities[${entity.id}]` : `entities[${entity.id}].fields[${i}].name`
}

/**
 * The relations an entity creates in schema `app` besides its table, with the field behind each;
 * two different indexes of the entity that would get one name are issues (one would be left out).
 */
function relationsOf(
  entity: Entity,
  issues: Issue[],
): { name: string; what: string; field?: string }[] {
  const specs = buildIndexSpecs(entity, {}, (kept, left) =>
    issues.push({
      path: fieldPath(entity, indexField(entity, left)),
      message: `needs the index name '${left.name}' (on ${left.columns.join(', ')}), which the index on ${kept.columns.join(', ')} already uses`,
    }),
  )
  // PostgreSQL names the primary key `<table>_pkey` when that fits, else picks a free name itself.
  const pkey = `${tableName(entity)}_pkey`
  return [
    ...(pkey.length <= 63 ? [{ name: pkey, what: 'primary key' }] : []),
    ...specs.map((spec) => ({
      name: spec.name,
      what: 'index',
      field: indexField(entity, spec),
    })),
    ...entity.fields.filter(isSequentialAutoNumber).map((f) => ({
      name: autoNumberSequenceName(entity, f),
      what: 'sequence',
      field: f.name,
    })),
  ]
}

/**
 * Names that would clash in the database although the metadata's names differ. PostgreSQL names
 * are snake_case and cut at 63 bytes, so `accountID` and `accountId` are one column and a money
 * field `price` also takes `price_currency`; tables, indexes and sequences share one namespace in
 * schema `app` (`sales.orderX` and `salesOrder.x` would both want the index `sales_order_x_key`).
 * Each issue names the later definition, so a publish is refused (400) before any statement.
 */
export function checkPhysicalNames(entities: readonly Entity[]): Issue[] {
  const issues = entities.flatMap(columnIssues)
  const relations = new Map<string, Claim>()
  // An entity on another's table clashes in every derived name too: its table is the one issue.
  const onOwnTable: Entity[] = []
  for (const entity of entities) {
    const table = tableName(entity)
    const earlier = take(relations, table, { by: `entity '${entity.id}'`, entity: entity.id })
    if (!earlier) onOwnTable.push(entity)
    else
      issues.push({
        path: `entities[${entity.id}].id`,
        message: `would be stored in table '${asStored(table)}', which ${earlier.by} already uses`,
      })
  }
  for (const entity of onOwnTable) {
    for (const { name, what, field } of relationsOf(entity, issues)) {
      const earlier = take(relations, name, { by: `entity '${entity.id}'`, entity: entity.id })
      if (!earlier || earlier.entity === entity.id) continue
      issues.push({
        path: fieldPath(entity, field),
        message: `needs the ${what} name '${asStored(name)}', which ${earlier.by} already uses`,
      })
    }
  }
  return issues
}
