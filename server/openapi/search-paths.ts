import { DEFAULT_LIMIT, MAX_HITS, MAX_LIMIT, MAX_QUERY_LENGTH } from '../../runtime/search'
import { ref } from './operation-parts'
import { errorResponse, jsonContent } from './shared-components'

const hit = {
  type: 'object',
  properties: {
    entity: { type: 'string', description: 'Entity id' },
    id: { type: 'string', format: 'uuid' },
    title: {
      type: ['string', 'null'],
      description: 'The title field as text; null when the caller may not read it',
    },
    // Present when the title is a select field: the option's label, to show for its code.
    titleLabel: ref('Labels'),
    matched: {
      type: 'array',
      items: { type: 'string' },
      description:
        'The readable fields that contain the text (a select field: in its code or option label)',
    },
    subtitle: {
      type: 'object',
      additionalProperties: { type: ['string', 'null'] },
      description:
        "When the entity names subtitleFields: their readable values as text (a select's code), " +
        'by field name, for a second line under the title',
    },
  },
  required: ['entity', 'id', 'title', 'matched'],
}

const result = {
  type: 'object',
  properties: {
    data: { type: 'array', items: hit, description: 'Grouped by entity, best first in each' },
    more: {
      type: 'array',
      items: { type: 'string' },
      description: 'Entities with more hits than shown',
    },
  },
  required: ['data', 'more'],
}

/** GET /api/search: free text over the entities the caller may read. */
export function buildSearchPaths(): Record<string, unknown> {
  return {
    '/api/search': {
      get: {
        tags: ['search'],
        operationId: 'search',
        summary: 'Find records by text in their search and title fields',
        description:
          'Case-insensitive substring match over the search fields and the title field of each ' +
          'entity, limited to the records and fields the caller may read. Title prefix matches ' +
          'come first, then prefix matches of another searched field, then the rest; newest ' +
          `first within each. At most ${MAX_HITS} hits in all.`,
        parameters: [
          {
            name: 'q',
            in: 'query',
            required: true,
            description: 'The text to find (trimmed)',
            schema: { type: 'string', minLength: 1, maxLength: MAX_QUERY_LENGTH },
          },
          {
            name: 'entities',
            in: 'query',
            description: 'Comma-separated entity ids (default: every entity the caller may read)',
            schema: { type: 'string' },
          },
          {
            name: 'limit',
            in: 'query',
            description: 'Hits per entity',
            schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
          },
        ],
        responses: {
          200: { description: 'The hits', content: jsonContent(result) },
          400: errorResponse('BadRequest'),
          401: errorResponse('Unauthorized'),
          403: errorResponse('Forbidden'),
          404: errorResponse('NotFound'),
        },
      },
    },
  }
}
