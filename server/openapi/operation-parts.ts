import type { JsonSchema } from './field-schema'
import { errorResponse, jsonContent } from './shared-components'

/** A tag of the document: operations are grouped under it in /api/docs. */
export interface Tag {
  name: string
  description: string
}

/** The paths of one resource with the tags and component schemas they use. */
export interface PathGroup {
  tags: Tag[]
  paths: Record<string, unknown>
  schemas: Record<string, JsonSchema>
}

/** Security of an endpoint answered without a session. */
export const PUBLIC: unknown[] = []

/** Refers to a component schema. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

/** A JSON response. */
export const ok = (description: string, schema: JsonSchema) => ({
  description,
  content: jsonContent(schema),
})

/** A response without a body (204). */
export const noContent = (description: string) => ({ description })

/** A required JSON request body. */
export const jsonBody = (schema: JsonSchema) => ({ required: true, content: jsonContent(schema) })

/** `{ data: [item…] }`, the envelope of every list the API answers. */
export const dataList = (items: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: { data: { type: 'array', items } },
  required: ['data'],
})

/** A uuid path parameter; any other text answers 404. */
export const uuidPath = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', format: 'uuid' },
})

/** A string (or uuid) that may be null. */
export const nullable = (format?: 'uuid' | 'date-time'): JsonSchema =>
  format ? { type: ['string', 'null'], format } : { type: ['string', 'null'] }

/** Error responses by status, as the shared components name them. */
const ERRORS = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'ValidationFailed',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
} as const

/**
 * The error responses an operation really answers, by status.
 * @example responses: { 200: ok('…', schema), ...errors(400, 401, 403) }
 */
export function errors(...statuses: (keyof typeof ERRORS)[]): Record<string, unknown> {
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(ERRORS[s])]))
}
