import type { Field } from '../../metadata/field'
import { STORABLE_JSON } from './storable-formats'

/** A JSON Schema fragment (ajv), kept loose on purpose: it is built, never read back. */
export type JsonSchema = Record<string, unknown>

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
/** PostgreSQL text cannot hold NUL. */
const NO_NUL = '^[^\\u0000]*$'
const PHONE_PATTERN = '^[+]?[0-9 ()./-]{3,32}(?:[ ]*(?:x|ext\\.?)[ ]*[0-9]{1,6})?$'
const URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s\\u0000]+$'

/**
 * A file on a record: the id `POST /api/files` answered. Name, type and size may be echoed back
 * as read; the write stores what the files table says of the file, not these.
 */
const ATTACHMENT: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: UUID_PATTERN },
    name: { type: 'string', maxLength: 1000, pattern: NO_NUL },
    size: { type: 'integer', minimum: 0 },
    type: { type: 'string', maxLength: 255, pattern: NO_NUL },
  },
  required: ['id'],
  additionalProperties: false,
}

/**
 * The JSON Schema of a writable field's API value; null is always allowed (required is checked
 * apart). The one source of a value's shape: the validator compiles it and OpenAPI shows it.
 */
export function fieldSchema(field: Field): JsonSchema {
  return nullable(baseSchema(field))
}

/** Types whose values `fieldSchema` describes (the others are computed or validated apart). */
export function hasValueSchema(field: Field): boolean {
  return field.type !== 'autoNumber' && field.type !== 'formula' && field.type !== 'childTable'
}

function nullable(schema: JsonSchema): JsonSchema {
  if (schema.enum) return { ...schema, enum: [...(schema.enum as unknown[]), null] }
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] }
  if (!schema.type) return schema
  return { anyOf: [schema, { type: 'null' }] }
}

function text(maxLength: number, field: Field, extra: JsonSchema = {}): JsonSchema {
  const schema: JsonSchema = {
    type: 'string',
    maxLength: field.maxLength ?? maxLength,
    pattern: NO_NUL,
  }
  if (field.minLength) schema.minLength = field.minLength
  return { ...schema, ...extra }
}

/** Numeric bounds: the field's own min/max, inside what the column type can hold. */
function number(field: Field, integer: boolean, limit: number): JsonSchema {
  const schema: JsonSchema = { type: integer ? 'integer' : 'number' }
  if (field.min !== undefined) schema.minimum = field.min
  if (field.max !== undefined) schema.maximum = field.max
  if (integer) {
    schema.minimum = Math.max(field.min ?? -2147483648, -2147483648)
    schema.maximum = Math.min(field.max ?? 2147483647, 2147483647)
  } else {
    schema.exclusiveMinimum = -limit
    schema.exclusiveMaximum = limit
  }
  return schema
}

function baseSchema(field: Field): JsonSchema {
  const options = (field.options ?? []).map((o) => o.value)
  switch (field.type) {
    case 'text':
      return text(255, field)
    case 'longText':
    case 'richText':
      return text(100000, field)
    case 'email':
      return text(255, field, { format: 'email' })
    case 'url':
      return text(2048, field, { pattern: URL_PATTERN })
    case 'phone':
      return text(40, field, { pattern: PHONE_PATTERN })
    case 'integer':
      return number(field, true, 0)
    case 'decimal':
      return number(field, false, 10 ** (18 - (field.scale ?? 4)))
    case 'percent':
      return number(field, false, 1e5)
    case 'money':
      return {
        type: 'object',
        properties: {
          amount: number(field, false, 1e16),
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        },
        required: field.currency ? ['amount'] : ['amount', 'currency'],
        additionalProperties: false,
      }
    case 'boolean':
      return { type: 'boolean' }
    case 'date':
      return { type: 'string', format: 'date' }
    case 'datetime':
      return { type: 'string', format: 'date-time' }
    case 'select':
      return { enum: options }
    case 'multiSelect':
      return { type: 'array', items: { enum: options }, uniqueItems: true }
    case 'reference':
    case 'user':
    case 'department':
      return { type: 'string', pattern: UUID_PATTERN }
    case 'attachment':
      return ATTACHMENT
    case 'attachments':
      return { type: 'array', items: ATTACHMENT, maxItems: 100 }
    default:
      // json: any JSON value jsonb can store (no NUL in strings or keys).
      return { [STORABLE_JSON]: true }
  }
}

/** Fields a client may write: not computed, not read-only, not a child table (validated apart). */
export function isWritable(field: Field): boolean {
  return !field.readOnly && field.type !== 'autoNumber' && field.type !== 'formula'
}
