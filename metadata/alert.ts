import type { Labels } from './labels'
import { reservedEntitySchema, reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A notification fired by a trigger and a condition. Reserved: filled by a later release. */
export interface Alert {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The entity whose records trigger the alert (none for a pure schedule). */
  entity?: string
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `Alert`: identity checked now, `spec` left open. */
export const alertSchema = schemaFor<Alert>()({
  type: 'object',
  properties: { ...reservedProperties, entity: reservedEntitySchema },
  required: ['id', 'label'],
  additionalProperties: false,
})

/** Standalone schema document of `Alert` (metadata/schemas/alert.schema.json). */
export const alertJsonSchema = toSchemaDocument('alert', 'Trellis alert (reserved)', alertSchema)
