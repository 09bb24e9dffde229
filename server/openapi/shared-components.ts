import type { JsonSchema } from './field-schema'

/** Refers to a shared error response. */
export const errorResponse = (name: string) => ({ $ref: `#/components/responses/${name}` })

/** A JSON body of a schema. */
export const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } })

/** Component schemas, responses and parameters every document has. */
export function buildSharedComponents() {
  const errorBody = { $ref: '#/components/schemas/Error' }
  const response = (description: string) => ({ description, content: jsonContent(errorBody) })
  return {
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
              details: { type: 'array', items: { $ref: '#/components/schemas/Issue' } },
            },
            required: ['code', 'message', 'details'],
          },
        },
        required: ['error'],
      },
      Issue: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
      User: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          username: { type: 'string' },
          displayName: { type: 'string' },
          locale: { type: 'string' },
          isAdmin: { type: 'boolean' },
        },
        required: ['id', 'username', 'displayName', 'locale', 'isAdmin'],
      },
      Labels: {
        type: 'object',
        properties: { en: { type: 'string' } },
        additionalProperties: { type: 'string' },
        required: ['en'],
      },
    },
    responses: {
      BadRequest: response('Malformed request: bad JSON, unknown parameter, bad filter'),
      Unauthorized: response('No valid session'),
      Forbidden: response('Not allowed'),
      NotFound: response('Unknown entity or record'),
      Conflict: response('Stale version, duplicate or unique violation'),
      ValidationFailed: response('The record fails validation; details name each field'),
      PayloadTooLarge: response('Body larger than 1 MB'),
    },
    parameters: {
      RecordId: {
        name: 'id',
        in: 'path',
        required: true,
        schema: { type: 'string', format: 'uuid' },
      },
      IfMatch: {
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The version the change expects, e.g. "3"; a stale version answers 409',
        schema: { type: 'string' },
      },
    },
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'Token from POST /api/auth/login',
      },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: 'trellis_session' },
    },
  }
}
