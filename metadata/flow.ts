import type { Labels } from './labels'
import { reservedEntitySchema, reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A state machine over the records of one entity. Reserved: filled by a later release. */
export interface Flow {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The entity whose records the flow moves between states. */
  entity: string
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `Flow`: identity checked now, `spec` left open. */
export const flowSchema = schemaFor<Flow>()({
  type: 'object',
  properties: { ...reservedProperties, entity: reservedEntitySchema },
  required: ['id', 'label', 'entity'],
  additionalProperties: false,
})

/** Standalone schema document of `Flow` (metadata/schemas/flow.schema.json). */
export const flowJsonSchema = toSchemaDocument('flow', 'Trellis flow (reserved)', flowSchema)
