import { reservedDefinitionSchema, type ReservedDefinition } from './reserved-kind'
import { toSchemaDocument } from './schema-document'

/** A report or chart over a source entity. Reserved: filled by a later release. */
export type Report = ReservedDefinition

/** Schema of a `Report`: identity and entity checked now, `spec` left open. */
export const reportSchema = reservedDefinitionSchema

/** Standalone schema document of `Report` (metadata/schemas/report.schema.json). */
export const reportJsonSchema = toSchemaDocument(
  'report',
  'Trellis report (reserved)',
  reportSchema,
)
