import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import { toSchemaName } from './field-schema'
import { ref } from './operation-parts'
import { errorResponse, jsonContent } from './shared-components'

/** The query parameters of a list page (drill-downs take them too). */
export const LIST_PARAMETERS = [
  {
    name: 'filter',
    in: 'query',
    description: 'json-logic over the record, e.g. {"==":[{"var":"status"},"open"]}',
    schema: { type: 'string' },
  },
  {
    name: 'sort',
    in: 'query',
    description: '`field` or `-field`, comma-separated',
    schema: { type: 'string' },
  },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } },
  {
    name: 'cursor',
    in: 'query',
    description: '`nextCursor` of the previous page',
    schema: { type: 'string' },
  },
  { name: 'count', in: 'query', description: 'Also answer `total`', schema: { type: 'boolean' } },
]

const COMMON_ERRORS = {
  400: errorResponse('BadRequest'),
  401: errorResponse('Unauthorized'),
  403: errorResponse('Forbidden'),
  404: errorResponse('NotFound'),
}

/** The record endpoints of one entity, keyed by path. */
export function buildRecordPaths(entity: Entity): Record<string, unknown> {
  const base = `/api/data/${entity.id}`
  const tags = [entity.id]
  const name = toLabel(entity.label, 'en', entity.id)
  const plural = toLabel(entity.pluralLabel ?? entity.label, 'en', entity.id)
  const record = { $ref: `#/components/schemas/${toSchemaName(entity.id, 'Record')}` }
  const etag = { ETag: { description: 'The record version, e.g. "3"', schema: { type: 'string' } } }
  const idParam = { $ref: '#/components/parameters/RecordId' }
  const ifMatch = { $ref: '#/components/parameters/IfMatch' }
  const writeErrors = {
    ...COMMON_ERRORS,
    409: errorResponse('Conflict'),
    413: errorResponse('PayloadTooLarge'),
    422: errorResponse('ValidationFailed'),
  }
  const body = (suffix: 'Input' | 'Patch') => ({
    required: true,
    content: jsonContent({ $ref: `#/components/schemas/${toSchemaName(entity.id, suffix)}` }),
  })
  const page = {
    type: 'object',
    properties: {
      data: { type: 'array', items: record },
      nextCursor: { type: ['string', 'null'] },
      total: { type: 'integer' },
      totalCapped: { type: 'boolean' },
    },
    required: ['data', 'nextCursor'],
  }
  const created = {
    allOf: [
      record,
      {
        type: 'object',
        properties: { warnings: { type: 'array', items: { $ref: '#/components/schemas/Issue' } } },
      },
    ],
  }
  return {
    [base]: {
      get: {
        tags,
        operationId: `list_${entity.id}`,
        summary: `List ${plural}`,
        parameters: LIST_PARAMETERS,
        responses: {
          200: { description: 'One page', content: jsonContent(page) },
          ...COMMON_ERRORS,
        },
      },
      post: {
        tags,
        operationId: `create_${entity.id}`,
        summary: `Create a ${name}`,
        requestBody: body('Input'),
        responses: {
          201: {
            description: 'Created (with warnings, if any)',
            headers: etag,
            content: jsonContent(created),
          },
          ...writeErrors,
        },
      },
    },
    [`${base}/{id}`]: {
      get: {
        tags,
        operationId: `get_${entity.id}`,
        summary: `Read a ${name}`,
        parameters: [
          idParam,
          {
            name: 'related',
            in: 'query',
            description: 'Include related lists',
            schema: { type: 'boolean' },
          },
          {
            name: 'can',
            in: 'query',
            description: 'Include `can`: what the caller may do with this record',
            schema: { type: 'boolean' },
          },
        ],
        responses: {
          200: {
            description: 'The record (with `can` when asked)',
            headers: etag,
            content: jsonContent({
              allOf: [record, { type: 'object', properties: { can: ref('RecordCapabilities') } }],
            }),
          },
          ...COMMON_ERRORS,
        },
      },
      patch: {
        tags,
        operationId: `update_${entity.id}`,
        summary: `Update a ${name}`,
        parameters: [idParam, ifMatch],
        requestBody: body('Patch'),
        responses: {
          200: { description: 'The updated record', headers: etag, content: jsonContent(record) },
          ...writeErrors,
        },
      },
      delete: {
        tags,
        operationId: `delete_${entity.id}`,
        summary: `Delete a ${name}`,
        parameters: [idParam, ifMatch],
        responses: {
          204: { description: 'Deleted' },
          ...COMMON_ERRORS,
          409: errorResponse('Conflict'),
        },
      },
    },
    [`${base}/preview`]: {
      post: {
        tags,
        operationId: `preview_${entity.id}`,
        summary: `What saving a draft ${name} would fill (latestFrom), without saving`,
        description:
          "Answers the latestFrom values of the draft and of each child row (`lines: [{ … }]`), searched in the caller's read scope; `{}` when the entity has none.",
        requestBody: {
          required: true,
          content: jsonContent({ type: 'object', description: `A draft ${name}` }),
        },
        responses: {
          200: {
            description: 'The values a save would fill',
            content: jsonContent({ type: 'object' }),
          },
          ...COMMON_ERRORS,
          413: errorResponse('PayloadTooLarge'),
        },
      },
    },
    [`${base}/{id}/copy`]: {
      post: {
        tags,
        operationId: `copy_${entity.id}`,
        summary: `Copy a ${name} as a new record, with its child rows`,
        description:
          'Created as the caller creates (create scope, field rules, validations). Not copied: auto-numbers, formulas, read-only, unique and stamped fields, files; the flow state and the owner start as in a new record. A record the caller may not read answers 404.',
        parameters: [idParam],
        responses: {
          201: { description: 'The new record', headers: etag, content: jsonContent(record) },
          ...writeErrors,
        },
      },
    },
    [`${base}/{id}/history`]: {
      get: {
        tags,
        operationId: `history_${entity.id}`,
        summary: `Change history of a ${name}`,
        parameters: [idParam],
        responses: {
          200: {
            description: 'Audit entries, oldest first',
            content: jsonContent({
              type: 'object',
              properties: { data: { type: 'array', items: { type: 'object' } } },
            }),
          },
          ...COMMON_ERRORS,
        },
      },
    },
  }
}
