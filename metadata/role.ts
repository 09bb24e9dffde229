import type { Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A role with its permissions and data scopes. Reserved: filled by a later release. */
export interface Role {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `Role`: identity checked now, `spec` left open. */
export const roleSchema = schemaFor<Role>()({
  type: 'object',
  properties: reservedProperties,
  required: ['id', 'label'],
  additionalProperties: false,
})

/** Standalone schema document of `Role` (metadata/schemas/role.schema.json). */
export const roleJsonSchema = toSchemaDocument('role', 'Trellis role (reserved)', roleSchema)
