import type { Labels } from './labels'
import { reservedEntitySchema, reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** An assignment rule and record pool (e.g. the customer pool). Reserved: filled by a later release. */
export interface Pool {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The entity whose records are assigned and pooled. */
  entity: string
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `Pool`: identity checked now, `spec` left open. */
export const poolSchema = schemaFor<Pool>()({
  type: 'object',
  properties: { ...reservedProperties, entity: reservedEntitySchema },
  required: ['id', 'label', 'entity'],
  additionalProperties: false,
})

/** Standalone schema document of `Pool` (metadata/schemas/pool.schema.json). */
export const poolJsonSchema = toSchemaDocument(
  'pool',
  'Trellis assignment rule and pool (reserved)',
  poolSchema,
)
