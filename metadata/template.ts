import type { Labels } from './labels'
import { reservedEntitySchema, reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A print template (handlebars over a record and its child tables). Reserved: filled by a later release. */
export interface Template {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The entity whose records it prints. */
  entity: string
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `Template`: identity checked now, `spec` left open. */
export const templateSchema = schemaFor<Template>()({
  type: 'object',
  properties: { ...reservedProperties, entity: reservedEntitySchema },
  required: ['id', 'label', 'entity'],
  additionalProperties: false,
})

/** Standalone schema document of `Template` (metadata/schemas/template.schema.json). */
export const templateJsonSchema = toSchemaDocument(
  'template',
  'Trellis print template (reserved)',
  templateSchema,
)
