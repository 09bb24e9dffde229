import type { Field } from '../../metadata/field'
import { toLabel } from '../../metadata/labels'
import { fieldSchema, hasValueSchema, STORABLE_JSON } from '../../runtime/records'

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it), kept loose on purpose. */
export type JsonSchema = Record<string, unknown>

/** The component name of an entity's schemas: `quoteLine` → `QuoteLine`. */
export function toSchemaName(entityId: string, suffix: 'Record' | 'Input' | 'Patch'): string {
  return (
    entityId.charAt(0).toUpperCase() + entityId.slice(1).replace(/[^A-Za-z0-9_.-]/g, '_') + suffix
  )
}

/** Whether the server computes the value (clients never send it). */
export function isComputed(field: Field): boolean {
  return field.type === 'autoNumber' || field.type === 'formula'
}

/**
 * The validator's schema of a field's value, made plain JSON Schema: the ajv-only `storableJson`
 * keyword (jsonb-storable values) has no meaning for other tools and is dropped.
 */
export function toOpenApiValueSchema(field: Field): JsonSchema {
  return JSON.parse(
    JSON.stringify(fieldSchema(field), (key, value: unknown) =>
      key === STORABLE_JSON ? undefined : value,
    ),
  ) as JsonSchema
}

/** Schemas of values the validator does not check: computed ones and child rows. */
function computedSchema(field: Field, childSuffix: 'Record' | 'Input' | 'Patch'): JsonSchema {
  if (field.type === 'childTable')
    return {
      type: 'array',
      items: { $ref: `#/components/schemas/${toSchemaName(field.entity ?? '', childSuffix)}` },
    }
  const value = field.type === 'formula' ? formulaSchema(field) : { type: 'string' }
  return { ...value, type: [value.type, 'null'] }
}

function formulaSchema(field: Field): JsonSchema {
  if (field.resultType === 'number' || field.resultType === 'money') return { type: 'number' }
  if (field.resultType === 'datetime') return { type: 'string', format: 'date-time' }
  if (field.resultType === 'boolean') return { type: 'boolean' }
  if (field.resultType === 'date') return { type: 'string', format: 'date' }
  return { type: 'string' }
}

/**
 * A field's schema in a record, input or patch body: the validator's schema of its value (or
 * null), annotated with its label, help, read-only and a money field's default currency.
 */
export function toFieldSchema(field: Field, suffix: 'Record' | 'Input' | 'Patch'): JsonSchema {
  const schema = hasValueSchema(field) ? toOpenApiValueSchema(field) : computedSchema(field, suffix)
  if (field.type === 'money' && field.currency) {
    const money = (schema.anyOf as JsonSchema[] | undefined)?.[0] ?? schema
    const currency = (money.properties as Record<string, JsonSchema> | undefined)?.currency
    if (currency) currency.default = field.currency
  }
  schema.title = toLabel(field.label, 'en', field.name)
  if (field.help) schema.description = toLabel(field.help, 'en')
  if (isComputed(field) || field.readOnly) schema.readOnly = true
  return schema
}
