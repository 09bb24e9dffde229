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
              retryAfter: { type: 'integer', description: 'Seconds to wait (429 only)' },
              currentVersion: { type: 'integer', description: 'The record version (stale 409)' },
            },
            required: ['code', 'message', 'details'],
            // Some errors carry more, e.g. the counts that keep a department from being deleted.
            additionalProperties: true,
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
          departmentId: { type: ['string', 'null'], format: 'uuid' },
          managerId: { type: ['string', 'null'], format: 'uuid' },
          roles: { type: 'array', items: { type: 'string' } },
          attributes: { type: 'object', description: 'Extra `$user` variables of row filters' },
          viaToken: { type: 'string', description: 'The API token id, when signed in by one' },
          sharedEntities: {
            type: 'array',
            items: { type: 'string' },
            description: 'Entities with some record shared with the user or their department',
          },
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
      BadRequest: response(
        'Malformed request (bad JSON, unknown or repeated parameter, bad filter) or invalid definition',
      ),
      Unauthorized: response('No valid session'),
      Forbidden: response('Not allowed'),
      NotFound: response('Unknown entity, record or id (details name it)'),
      Conflict: response('Stale version, duplicate, taken name or a row still in use'),
      ValidationFailed: response('The input fails validation; details name each field'),
      PayloadTooLarge: response(
        'Body or file over its limit (the message names the part and the limit)',
      ),
      UnsupportedMediaType: response('A body sent as anything but application/json'),
      ServiceUnavailable: response(
        'This server is built without what the request needs (a file store, a PDF printer)',
      ),
      TooManyRequests: {
        ...response('Too many sign-in or password tries: wait `retryAfter` seconds'),
        headers: {
          'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
        },
      },
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
