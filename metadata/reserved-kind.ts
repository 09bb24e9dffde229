import { camelIdSchema, definitionIdSchema, schemaRefSchema, versionSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { schemaFor } from './schema-check'

/*
 * Kinds whose full language arrives in a later release (report, template). Until then a
 * definition of such a kind is stored and validated for its identity
 * (`id`, `version`, `label`, the entity it belongs to); everything else sits in an open `spec`.
 */

/** Schema of the open `spec` object of a reserved kind. */
export const reservedSpecSchema = {
  type: 'object',
  description: 'Reserved: filled by a later release. Any JSON object for now.',
} as const

/** Properties every reserved kind shares. */
export const reservedProperties = {
  $schema: schemaRefSchema,
  id: definitionIdSchema,
  version: versionSchema,
  label: labelsSchema,
  description: labelsSchema,
  spec: reservedSpecSchema,
} as const

/** The entity a reserved definition belongs to. */
export const reservedEntitySchema = camelIdSchema

/** A definition of a reserved kind that belongs to one entity (report, template). */
export interface ReservedDefinition {
  $schema?: string
  id: string
  version?: number
  label: Labels
  description?: Labels
  /** The entity the definition works on (a report's source, a template's record). */
  entity: string
  /** The definition body; its shape is fixed by a later release. */
  spec?: Record<string, unknown>
}

/** Schema of a `ReservedDefinition`: identity and entity checked now, `spec` left open. */
export const reservedDefinitionSchema = schemaFor<ReservedDefinition>()({
  type: 'object',
  properties: { ...reservedProperties, entity: reservedEntitySchema },
  required: ['id', 'label', 'entity'],
  additionalProperties: false,
})
