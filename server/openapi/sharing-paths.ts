import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import { dataList, errors, jsonBody, noContent, ok, ref, uuidPath } from './operation-parts'

const MAY_SHARE = 'The owner, anyone above the owner in the manager chain, or an administrator'

/**
 * The sharing, bulk transfer and duplicate lookup endpoints of one entity, keyed by path: they sit
 * beside its record paths and carry its tag.
 */
export function buildSharingPaths(entity: Entity): Record<string, unknown> {
  const base = `/api/data/${entity.id}`
  const tags = [entity.id]
  const name = toLabel(entity.label, 'en', entity.id)
  const plural = toLabel(entity.pluralLabel ?? entity.label, 'en', entity.id)
  const idParam = { $ref: '#/components/parameters/RecordId' }
  return {
    [`${base}/{id}/shares`]: {
      get: {
        tags,
        operationId: `listShares_${entity.id}`,
        summary: `Who a ${name} is shared with (active shares)`,
        description: 'A record the caller cannot read answers 404.',
        parameters: [idParam],
        responses: { 200: ok('Shares', dataList(ref('Share'))), ...errors(400, 401, 404) },
      },
      post: {
        tags,
        operationId: `share_${entity.id}`,
        summary: `Share a ${name} with a user or a department`,
        description: `${MAY_SHARE} may share (403 otherwise).`,
        parameters: [idParam],
        requestBody: jsonBody(ref('NewShare')),
        responses: {
          201: ok('The share', ref('Share')),
          ...errors(400, 401, 403, 404, 413, 422),
        },
      },
    },
    [`${base}/{id}/shares/{shareId}`]: {
      delete: {
        tags,
        operationId: `unshare_${entity.id}`,
        summary: `End a share of a ${name}`,
        description: `${MAY_SHARE}, or whoever made the share.`,
        parameters: [idParam, uuidPath('shareId', 'A share of this record')],
        responses: { 204: noContent('Ended'), ...errors(400, 401, 403, 404) },
      },
    },
    [`${base}/bulk/share`]: {
      post: {
        tags,
        operationId: `bulkShare_${entity.id}`,
        summary: `Share many ${plural} with one recipient, all or nothing`,
        description: `${MAY_SHARE} may share each record; 404 or 403 names the first that fails.`,
        requestBody: jsonBody(ref('BulkShareRequest')),
        responses: {
          200: ok('Shared', {
            type: 'object',
            properties: { shared: { type: 'integer', minimum: 1 } },
            required: ['shared'],
          }),
          ...errors(400, 401, 403, 404, 413, 422),
        },
      },
    },
    [`${base}/bulk/transfer`]: {
      post: {
        tags,
        operationId: `transfer_${entity.id}`,
        summary: `Give ${plural} a new owner, all or nothing`,
        description:
          'Needs the `assign` action on every record; 404 or 403 names the first that fails.',
        requestBody: jsonBody(ref('TransferRequest')),
        responses: {
          200: ok('Moved', ref('TransferResult')),
          ...errors(400, 401, 403, 404, 413, 422),
        },
      },
    },
    [`${base}/duplicates`]: {
      post: {
        tags,
        operationId: `findDuplicates_${entity.id}`,
        summary: `Which ${plural} the values collide with, by the dedup rules`,
        description:
          'Looks across all records; needs read or create on the entity (403), and a compared field the caller cannot read answers 403.',
        requestBody: jsonBody(ref('DuplicateLookup')),
        responses: {
          200: ok('Hits, in rule order', dataList(ref('DuplicateHit'))),
          ...errors(400, 401, 403, 413, 422),
        },
      },
    },
  }
}
