import { reservedDefinitionSchema, type ReservedDefinition } from './reserved-kind'
import { toSchemaDocument } from './schema-document'

/** A print template (handlebars over a record and its child tables). Reserved: filled by a later release. */
export type Template = ReservedDefinition

/** Schema of a `Template`: identity and entity checked now, `spec` left open. */
export const templateSchema = reservedDefinitionSchema

/** Standalone schema document of `Template` (metadata/schemas/template.schema.json). */
export const templateJsonSchema = toSchemaDocument(
  'template',
  'Trellis print template (reserved)',
  templateSchema,
)
