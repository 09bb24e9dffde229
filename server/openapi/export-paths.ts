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
        summary: `Export ${plural} as CSV or XLSX`,
        description:
          "Records in the caller's `export` scope, streamed page by page; hidden fields are never included. Both formats are headed by the field labels in the caller's language and hold what the workspace shows: option labels, referenced records' titles (`Hidden` when the caller may not read the record or its title), users' names, Yes/No, exact decimals, ISO dates; text that a spreadsheet would run as a formula starts with `'`. Needs the `export` action (403); naming a hidden field answers 403.",
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
            name: 'format',
            in: 'query',
            description:
              '`csv` (default) or `xlsx`: a workbook with the same cells, number fields as numbers',
            schema: { type: 'string', enum: ['csv', 'xlsx'] },
          },
          {
            name: 'fields',
            in: 'query',
            description:
              'Comma-separated field names (system keys allowed); default `id` and every readable field. A money field adds a `<label> (currency)` column',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: {
            description:
              'UTF-8 CSV with a byte order mark and a header line, or an XLSX workbook (format=xlsx)',
            headers: {
              'Content-Disposition': {
                description: `attachment; filename="${entity.id}.csv" (or .xlsx)`,
                schema: { type: 'string' },
              },
              'X-Total-Count': {
                description: 'How many records the file holds (for a progress bar)',
                schema: { type: 'integer' },
              },
            },
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', format: 'binary' },
              },
            },
          },
          ...errors(400, 401, 403),
        },
      },
    },
  }
}
