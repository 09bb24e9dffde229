import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import { ownerColumn as ownerColumnName } from '../permissions'

/** Where an entity keeps its owner: the owner field's column, else `created_by`. */
export interface OwnerColumn {
  /** The key audit changes use: the owner field's name, else `createdBy`. */
  key: string
  column: ReturnType<typeof sql.identifier>
}

/** The owner column of an entity: the very column the permission scopes compare. */
export function ownerColumn(entity: Entity): OwnerColumn {
  const field = entity.fields.find((f) => f.name === entity.ownerField)
  return {
    key: field ? field.name : 'createdBy',
    column: sql.identifier(ownerColumnName(entity)),
  }
}
