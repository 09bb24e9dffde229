import { reservedDefinitionSchema, type ReservedDefinition } from './reserved-kind'
import { toSchemaDocument } from './schema-document'

/** An assignment rule and record pool (e.g. the customer pool). Reserved: filled by a later release. */
export type Pool = ReservedDefinition

/** Schema of a `Pool`: identity and entity checked now, `spec` left open. */
export const poolSchema = reservedDefinitionSchema

/** Standalone schema document of `Pool` (metadata/schemas/pool.schema.json). */
export const poolJsonSchema = toSchemaDocument(
  'pool',
  'Trellis assignment rule and pool (reserved)',
  poolSchema,
)
