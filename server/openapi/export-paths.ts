import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import { errors } from './operation-parts'

/** The CSV export of one entity, keyed by path: it sits beside the entity's record paths. */
export function buildExportPaths(entity: Entity): Record<string, unknown> {
  const plural = toLabel(entity.pluralLabel ?? entity.label, 'en', entity.id)
  return {
    [`/api/data/${entity.id}/export`]: {
      get: {
        tags: [entity.id],
        operationId: `export_${entity.id}`,
        summary: `Export ${plural} as CSV`,
        description:
          "Records in the caller's `export` scope, streamed; hidden fields are never included. Needs the `export` action (403); naming a hidden field answers 403.",
        parameters: [
          {
            name: 'filter',
            in: 'query',
            description: 'json-logic over the record, as in the list',
            schema: { type: 'string' },
          },
          {
            name: 'sort',
            in: 'query',
            description: '`field` or `-field`, comma-separated; default `createdAt`',
            schema: { type: 'string' },
          },
          {
            name: 'fields',
            in: 'query',
            description:
              'Comma-separated field names (system keys allowed); default `id` and every readable field. A money field adds a `<name>.currency` column',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: {
            description: 'UTF-8 CSV with a byte order mark and a header line',
            headers: {
              'Content-Disposition': {
                description: `attachment; filename="${entity.id}.csv"`,
                schema: { type: 'string' },
              },
            },
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errors(400, 401, 403),
        },
      },
    },
  }
}
