import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'

/** Advisory lock key that serialises every schema change (publish, sequence repair). */
export const SCHEMA_LOCK_KEY = 7254031

/** The PostgreSQL schema that holds every entity table. */
export const APP_SCHEMA = 'app'

/** camelCase → snake_case: `quoteLine` → `quote_line`. */
export function toSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

/** Table of an entity (in `app`): derived from the stable id, so it never changes. */
export function tableName(entity: Pick<Entity, 'id'>): string {
  return toSnake(entity.id)
}

/** Column of a field: derived from its name; a rename renames the column. */
export function columnName(field: Pick<Field, 'name'>): string {
  return toSnake(field.name)
}

/** Money keeps its currency beside the amount. */
export function currencyColumnName(field: Pick<Field, 'name'>): string {
  return `${toSnake(field.name)}_currency`
}

/** Stable identity of a field across renames. */
export function fieldId(field: Pick<Field, 'id' | 'name'>): string {
  return field.id ?? field.name
}

/** Columns every entity table has, with their API names. */
export const SYSTEM_COLUMNS = {
  id: 'id',
  version: 'version',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  createdBy: 'created_by',
  updatedBy: 'updated_by',
} as const

/** A child table row points at its parent and keeps its place in the grid. */
export const CHILD_COLUMNS = { parentId: 'parent_id', position: 'position' } as const

/** Field types that have no column of their own (child rows live in their own table). */
export function hasColumn(field: Pick<Field, 'type'>): boolean {
  return field.type !== 'childTable'
}
