import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import { isComputed, toFieldSchema, toSchemaName, type JsonSchema } from './field-schema'

const SYSTEM_PROPERTIES: Record<string, JsonSchema> = {
  id: { type: 'string', format: 'uuid', readOnly: true },
  version: { type: 'integer', minimum: 0, readOnly: true },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
  createdBy: { type: ['string', 'null'], format: 'uuid', readOnly: true },
  updatedBy: { type: ['string', 'null'], format: 'uuid', readOnly: true },
}

/**
 * The three component schemas of an entity: the record as the API answers it, the body of a
 * create (required fields without defaults are required) and the body of a patch.
 */
export function buildEntitySchemas(entity: Entity): Record<string, JsonSchema> {
  const title = toLabel(entity.label, 'en', entity.id)
  const recordProps: Record<string, JsonSchema> = { ...SYSTEM_PROPERTIES }
  const inputProps: Record<string, JsonSchema> = {}
  const patchProps: Record<string, JsonSchema> = {}
  const required: string[] = []
  for (const field of entity.fields) {
    recordProps[field.name] = toFieldSchema(field, 'Record')
    if (isComputed(field) || field.readOnly) continue
    inputProps[field.name] = toFieldSchema(field, 'Input')
    patchProps[field.name] = toFieldSchema(field, 'Patch')
    if (field.required && field.default === undefined) required.push(field.name)
  }
  if (entity.childOf) {
    // Child rows are sent inside the parent: an `id` updates an existing row.
    inputProps.id = { type: 'string', format: 'uuid' }
    patchProps.id = { type: 'string', format: 'uuid' }
  }
  patchProps.version = {
    type: 'integer',
    minimum: 0,
    description: 'Expected version (or If-Match)',
  }
  const systemRequired = entity.childOf ? ['id'] : ['id', 'version', 'createdAt', 'updatedAt']
  return {
    [toSchemaName(entity.id, 'Record')]: {
      type: 'object',
      title,
      properties: recordProps,
      required: systemRequired,
    },
    [toSchemaName(entity.id, 'Input')]: {
      type: 'object',
      title: `${title} (create)`,
      properties: inputProps,
      required,
      additionalProperties: false,
    },
    [toSchemaName(entity.id, 'Patch')]: {
      type: 'object',
      title: `${title} (update)`,
      properties: patchProps,
      additionalProperties: false,
    },
  }
}
