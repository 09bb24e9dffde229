import type { Labels } from './labels'
import { reservedEntitySchema, reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A report or chart over a source entity. Reserved: filled by a later release. */
export interface Report {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The source entity. */
  entity: string
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `Report`: identity checked now, `spec` left open. */
export const reportSchema = schemaFor<Report>()({
  type: 'object',
  properties: { ...reservedProperties, entity: reservedEntitySchema },
  required: ['id', 'label', 'entity'],
  additionalProperties: false,
})

/** Standalone schema document of `Report` (metadata/schemas/report.schema.json). */
export const reportJsonSchema = toSchemaDocument(
  'report',
  'Trellis report (reserved)',
  reportSchema,
)
