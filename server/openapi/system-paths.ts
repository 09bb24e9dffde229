import { ok, PUBLIC, type PathGroup } from './operation-parts'

/** Health, this document and its docs page: public, and independent of the metadata. */
export function buildSystemPaths(): PathGroup {
  const tags = ['system']
  return {
    tags: [{ name: 'system', description: 'Health and this document' }],
    schemas: {},
    paths: {
      '/api/health': {
        get: {
          tags,
          operationId: 'health',
          summary: 'Process and database health',
          security: PUBLIC,
          responses: {
            200: ok('Healthy', {
              type: 'object',
              properties: { status: { const: 'ok' }, db: { const: 'ok' } },
              required: ['status', 'db'],
            }),
          },
        },
      },
      '/api/openapi.json': {
        get: {
          tags,
          operationId: 'openapi',
          summary: 'This document, generated from the published metadata',
          security: PUBLIC,
          responses: { 200: ok('OpenAPI 3.1', { type: 'object' }) },
        },
      },
      '/api/docs': {
        get: {
          tags,
          operationId: 'docs',
          summary: 'A self-contained page that lists the operations of this document',
          security: PUBLIC,
          responses: {
            200: {
              description: 'HTML page',
              content: { 'text/html': { schema: { type: 'string' } } },
            },
          },
        },
      },
    },
  }
}
