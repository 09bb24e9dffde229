import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { columnType } from './column-types'
import { buildAddForeignKey, constraintName, foreignKeyTarget, tableRef } from './ddl'
import { columnName, currencyColumnName, tableName } from './naming'
import type { Step } from './plan'

/**
 * The steps that turn one kept field (`prev`) into its next definition: rename, type change,
 * money's currency column, optionality and reference.
 */
export function planFieldChanges(entity: Entity, prev: Field, field: Field, step: Step): void {
  const table = tableRef(entity)
  if (prev.name !== field.name) {
    const renames = [
      sql`alter table ${table} rename column ${sql.identifier(columnName(prev))} to ${sql.identifier(columnName(field))}`,
    ]
    if (prev.type === 'money' && field.type === 'money') {
      renames.push(
        sql`alter table ${table} rename column ${sql.identifier(currencyColumnName(prev))} to ${sql.identifier(currencyColumnName(field))}`,
      )
    }
    step(
      'renameColumn',
      field.name,
      `rename field ${prev.name} to ${field.name} (data kept)`,
      false,
      ...renames,
    )
  }
  const col = sql.identifier(columnName(field))
  const oldType = columnType(prev)
  const newType = columnType(field)
  if (oldType !== newType && field.type === 'formula') {
    // A computed column loses nothing: every row is computed again right after the publish.
    step(
      'alterColumnType',
      field.name,
      `change ${field.name} from ${oldType} to ${newType}; its values are computed again`,
      false,
      sql`alter table ${table} alter column ${col} type ${sql.raw(newType)} using null`,
    )
  } else if (oldType !== newType) {
    step(
      'alterColumnType',
      field.name,
      `change ${field.name} from ${oldType} to ${newType}; values that do not convert make the apply fail`,
      true,
      sql`alter table ${table} alter column ${col} type ${sql.raw(newType)} using ${col}::${sql.raw(newType)}`,
    )
  }
  if ((prev.type === 'money') !== (field.type === 'money')) {
    const cur = sql.identifier(currencyColumnName(field))
    if (field.type === 'money')
      step(
        'addColumn',
        field.name,
        `add currency of ${field.name}`,
        false,
        sql`alter table ${table} add column ${cur} text`,
      )
    else
      step(
        'dropColumn',
        field.name,
        `drop currency of ${field.name}`,
        true,
        sql`alter table ${table} drop column ${sql.identifier(currencyColumnName(prev))}`,
      )
  }
  if (!field.required && prev.required)
    step(
      'dropNotNull',
      field.name,
      `${field.name} becomes optional`,
      false,
      sql`alter table ${table} alter column ${col} drop not null`,
    )
  const oldFk = foreignKeyTarget(prev)
  const newFk = foreignKeyTarget(field)
  const fkChanged =
    prev.type !== field.type || prev.entity !== field.entity || prev.name !== field.name
  if (oldFk && fkChanged) {
    const name = constraintName(tableName(entity), [columnName(prev)], 'fkey')
    step(
      'dropForeignKey',
      field.name,
      `drop reference of ${prev.name}`,
      false,
      sql`alter table ${table} drop constraint if exists ${sql.identifier(name)}`,
    )
  }
  if (newFk && fkChanged) {
    const fk = buildAddForeignKey(entity, field)
    if (fk)
      step('addForeignKey', field.name, `reference from ${entity.id}.${field.name}`, false, fk)
  }
}
