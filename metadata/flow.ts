import { reservedDefinitionSchema, type ReservedDefinition } from './reserved-kind'
import { toSchemaDocument } from './schema-document'

/** A state machine over the records of one entity. Reserved: filled by a later release. */
export type Flow = ReservedDefinition

/** Schema of a `Flow`: identity and entity checked now, `spec` left open. */
export const flowSchema = reservedDefinitionSchema

/** Standalone schema document of `Flow` (metadata/schemas/flow.schema.json). */
export const flowJsonSchema = toSchemaDocument('flow', 'Trellis flow (reserved)', flowSchema)
