import { definitionIdSchema, schemaRefSchema, versionSchema } from './id-patterns'
import { labelsSchema } from './labels'

/*
 * The identity every definition kind shares (`$schema`, `id`, `version`, `label`,
 * `description`), and the open `spec` a kind reserved for a later release would carry.
 */

/** Schema of the open `spec` object of a reserved kind. */
export const reservedSpecSchema = {
  type: 'object',
  description: 'Reserved: filled by a later release. Any JSON object for now.',
} as const

/** Properties every kind shares (`spec` only a reserved one). */
export const reservedProperties = {
  $schema: schemaRefSchema,
  id: definitionIdSchema,
  version: versionSchema,
  label: labelsSchema,
  description: labelsSchema,
  spec: reservedSpecSchema,
} as const
