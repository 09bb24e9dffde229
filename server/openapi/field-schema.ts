import type { Field } from '../../metadata/field'
import { toLabel } from '../../metadata/labels'

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it), kept loose on purpose. */
export type JsonSchema = Record<string, unknown>

const TEXT_MAX: Partial<Record<Field['type'], number>> = {
  text: 255,
  email: 255,
  phone: 64,
  url: 2048,
  longText: 100_000,
  richText: 100_000,
}

const UUID: JsonSchema = { type: 'string', format: 'uuid' }
const ATTACHMENT: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    url: { type: 'string' },
    size: { type: 'integer', minimum: 0 },
    type: { type: 'string' },
  },
  required: ['name', 'url'],
}

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

/** The JSON Schema of a field's value (per the value conventions), without null. */
function valueSchema(field: Field, childSuffix: 'Record' | 'Input' | 'Patch'): JsonSchema {
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'email':
    case 'phone':
    case 'url': {
      const s: JsonSchema = { type: 'string', maxLength: field.maxLength ?? TEXT_MAX[field.type] }
      if (field.minLength !== undefined) s.minLength = field.minLength
      if (field.type === 'email') s.format = 'email'
      return s
    }
    case 'integer':
    case 'decimal':
    case 'percent':
      return withRange({ type: field.type === 'integer' ? 'integer' : 'number' }, field)
    case 'money':
      return {
        type: 'object',
        properties: {
          amount: withRange({ type: 'number' }, field),
          currency: field.currency
            ? { type: 'string', pattern: '^[A-Z]{3}$', default: field.currency }
            : { type: 'string', pattern: '^[A-Z]{3}$' },
        },
        required: ['amount', 'currency'],
      }
    case 'boolean':
      return { type: 'boolean' }
    case 'date':
      return { type: 'string', format: 'date' }
    case 'datetime':
      return { type: 'string', format: 'date-time' }
    case 'select':
      return { type: 'string', enum: (field.options ?? []).map((o) => o.value) }
    case 'multiSelect':
      return {
        type: 'array',
        items: { type: 'string', enum: (field.options ?? []).map((o) => o.value) },
        uniqueItems: true,
      }
    case 'reference':
    case 'user':
    case 'department':
      return { ...UUID }
    case 'attachment':
      return structuredClone(ATTACHMENT)
    case 'attachments':
      return { type: 'array', items: structuredClone(ATTACHMENT) }
    case 'autoNumber':
      return { type: 'string' }
    case 'formula':
      return formulaSchema(field)
    case 'childTable':
      return {
        type: 'array',
        items: { $ref: `#/components/schemas/${toSchemaName(field.entity ?? '', childSuffix)}` },
      }
    case 'json':
      return {}
  }
}

function withRange(s: JsonSchema, field: Field): JsonSchema {
  if (field.min !== undefined) s.minimum = field.min
  if (field.max !== undefined) s.maximum = field.max
  return s
}

function formulaSchema(field: Field): JsonSchema {
  if (field.resultType === 'number' || field.resultType === 'money') return { type: 'number' }
  if (field.resultType === 'datetime') return { type: 'string', format: 'date-time' }
  if (field.resultType === 'boolean') return { type: 'boolean' }
  if (field.resultType === 'date') return { type: 'string', format: 'date' }
  return { type: 'string' }
}

/** A field's schema in a record, input or patch body: its value or null, with its label. */
export function toFieldSchema(field: Field, suffix: 'Record' | 'Input' | 'Patch'): JsonSchema {
  const value = valueSchema(field, suffix)
  let schema: JsonSchema
  if (field.type === 'json') schema = {}
  else if (field.type === 'childTable') schema = value
  else if (typeof value.type === 'string') {
    schema = { ...value, type: [value.type, 'null'] }
    if (Array.isArray(value.enum)) schema.enum = [...value.enum, null]
  } else schema = { anyOf: [value, { type: 'null' }] }
  schema.title = toLabel(field.label, 'en', field.name)
  if (field.help) schema.description = toLabel(field.help, 'en')
  if (isComputed(field) || field.readOnly) schema.readOnly = true
  return schema
}
