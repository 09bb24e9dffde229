import { errorResponse, jsonContent } from './shared-components'

const PUBLIC: unknown[] = []
const user = { $ref: '#/components/schemas/User' }
const anyObject = { type: 'object' }
const list = {
  type: 'object',
  properties: { data: { type: 'array', items: anyObject } },
  required: ['data'],
}
const ok = (description: string, schema: Record<string, unknown>) => ({
  description,
  content: jsonContent(schema),
})
const plan = {
  type: 'object',
  properties: {
    destructive: { type: 'boolean' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          entity: { type: 'string' },
          field: { type: 'string' },
          sql: { type: 'string' },
          destructive: { type: 'boolean' },
          description: { type: 'string' },
        },
      },
    },
  },
}
const kindParam = {
  name: 'kind',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['entities', 'forms', 'views'] },
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const entityFilter = { name: 'entity', in: 'query', schema: { type: 'string' } }
const denied = { 401: errorResponse('Unauthorized'), 403: errorResponse('Forbidden') }

/** Health, auth, metadata and the document itself: the endpoints that do not depend on entities. */
export function buildPlatformPaths(): Record<string, unknown> {
  return {
    '/api/health': {
      get: {
        tags: ['system'],
        operationId: 'health',
        summary: 'Process and database health',
        security: PUBLIC,
        responses: {
          200: ok('Healthy', {
            type: 'object',
            properties: { status: { type: 'string' }, db: { type: 'string' } },
          }),
        },
      },
    },
    '/api/auth/login': {
      post: {
        tags: ['auth'],
        operationId: 'login',
        summary: 'Sign in; sets the session cookie',
        security: PUBLIC,
        requestBody: {
          required: true,
          content: jsonContent({
            type: 'object',
            properties: { username: { type: 'string' }, password: { type: 'string' } },
            required: ['username', 'password'],
          }),
        },
        responses: {
          200: ok('Signed in', {
            type: 'object',
            properties: {
              token: { type: 'string' },
              user,
              expiresAt: { type: 'string', format: 'date-time' },
            },
            required: ['token', 'user'],
          }),
          400: errorResponse('BadRequest'),
          401: errorResponse('Unauthorized'),
        },
      },
    },
    '/api/auth/logout': {
      post: {
        tags: ['auth'],
        operationId: 'logout',
        summary: 'End the session',
        security: PUBLIC,
        responses: { 204: { description: 'Signed out' } },
      },
    },
    '/api/auth/me': {
      get: {
        tags: ['auth'],
        operationId: 'me',
        summary: 'The signed-in user',
        responses: {
          200: ok('The caller', { type: 'object', properties: { user } }),
          401: errorResponse('Unauthorized'),
        },
      },
    },
    '/api/meta/packages': {
      get: {
        tags: ['meta'],
        operationId: 'listPackages',
        summary: 'Modules and their entities, in sidebar order',
        responses: { 200: ok('Navigation', list), ...denied },
      },
    },
    '/api/meta/{kind}': {
      get: {
        tags: ['meta'],
        operationId: 'listDefinitions',
        summary: 'Published entities, forms or views',
        parameters: [kindParam, entityFilter],
        responses: { 200: ok('Summaries', list), ...denied },
      },
    },
    '/api/meta/{kind}/{id}': {
      get: {
        tags: ['meta'],
        operationId: 'getDefinition',
        summary: 'One published definition',
        parameters: [kindParam, idParam],
        responses: {
          200: ok('The definition', anyObject),
          ...denied,
          404: errorResponse('NotFound'),
        },
      },
      put: {
        tags: ['meta'],
        operationId: 'saveDraft',
        summary: 'Save a draft definition (administrators)',
        parameters: [kindParam, idParam],
        requestBody: { required: true, content: jsonContent(anyObject) },
        responses: {
          200: ok('Saved as draft', anyObject),
          400: errorResponse('BadRequest'),
          ...denied,
        },
      },
    },
    '/api/meta/plan': {
      post: {
        tags: ['meta'],
        operationId: 'planDrafts',
        summary: 'What applying the drafts would change',
        responses: { 200: ok('The plan', plan), ...denied },
      },
    },
    '/api/meta/apply': {
      post: {
        tags: ['meta'],
        operationId: 'applyDrafts',
        summary: 'Apply the drafts',
        requestBody: {
          required: false,
          content: jsonContent({
            type: 'object',
            properties: { confirmDestructive: { type: 'boolean' } },
          }),
        },
        responses: {
          200: ok('Applied', {
            type: 'object',
            properties: { plan, version: { type: 'integer' } },
          }),
          400: errorResponse('BadRequest'),
          ...denied,
          409: errorResponse('Conflict'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        tags: ['system'],
        operationId: 'openapi',
        summary: 'This document',
        security: PUBLIC,
        responses: { 200: ok('OpenAPI 3.1', anyObject) },
      },
    },
  }
}
