import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { Entity } from '../../metadata/entity'
import type { Issue } from '../errors'
import { fieldSchema, isWritable, type JsonSchema } from './field-schema'
import { addStorableFormats, MAX_JSON_DEPTH, STORABLE_JSON } from './storable-formats'

// ajv-formats is CommonJS: its default import is the plugin function under tsx and vitest.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** One ajv instance per metadata set, so compiled schemas are dropped with it. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, messages: true })
  addFormats(ajv)
  addStorableFormats(ajv)
  return ajv
}

/** Child rows per child-table field, capped so one request cannot write a million lines. */
const MAX_CHILD_ROWS = 1000

/**
 * JSON Schema of the writable part of a record: every writable field (nullable; `required` is
 * checked apart so it reads the same on create and update), child tables as arrays of rows.
 */
export function buildRecordSchema(
  entity: Entity,
  childOf: (id: string) => Entity | undefined,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const field of entity.fields) {
    if (field.type === 'childTable') {
      const child = field.entity ? childOf(field.entity) : undefined
      const items = child ? buildRecordSchema(child, childOf) : { type: 'object' }
      properties[field.name] = { type: ['array', 'null'], maxItems: MAX_CHILD_ROWS, items }
    } else if (isWritable(field)) {
      properties[field.name] = fieldSchema(field)
    }
  }
  return { type: 'object', properties, additionalProperties: false }
}

/** Compiles the record schema; the result returns the issues of a value ([] when valid). */
export function compileRecordValidator(ajv: Ajv, schema: JsonSchema): (value: unknown) => Issue[] {
  const validate: ValidateFunction = ajv.compile(schema)
  return (value) => (validate(value) ? [] : toIssues(validate.errors ?? []))
}

/** ajv errors → one issue per path, paths like `lines[2].quantity`. */
export function toIssues(errors: ErrorObject[]): Issue[] {
  const seen = new Set<string>()
  const issues: Issue[] = []
  for (const error of errors) {
    let pointer = error.instancePath
    let message = error.message ?? 'is invalid'
    if (error.keyword === 'additionalProperty' || error.keyword === 'additionalProperties') {
      pointer += `/${(error.params as { additionalProperty: string }).additionalProperty}`
      message = 'is not a field of this entity'
    } else if (error.keyword === 'required') {
      pointer += `/${(error.params as { missingProperty: string }).missingProperty}`
      message = 'is required'
    } else if (error.keyword === STORABLE_JSON) {
      message = `cannot hold the NUL character (\\u0000) or nest deeper than ${MAX_JSON_DEPTH} levels`
    } else if (error.keyword === 'enum') {
      message = 'is not one of the options'
    } else if (error.keyword === 'pattern' && error.schemaPath.endsWith('pattern')) {
      message = 'has an invalid format'
    }
    const path = toPath(pointer)
    if (seen.has(path)) continue
    seen.add(path)
    issues.push({ path, message })
  }
  return issues
}

/** `/lines/2/quantity` → `lines[2].quantity` */
export function toPath(pointer: string): string {
  let path = ''
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(part)) path += `[${part}]`
    else if (part === '') path += keyPath(part)
    else path += path ? `.${part}` : part
  }
  return path
}

/** A record key as an issue path: itself, or `[""]` for the empty key (a path cannot be empty). */
export function keyPath(key: string): string {
  return key === '' ? '[""]' : key
}
