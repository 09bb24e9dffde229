import { errors, ok, ref, uuidPath, type PathGroup } from './operation-parts'

const count = { type: 'integer', minimum: 0 } as const
const issue = {
  type: 'object',
  properties: { path: { type: 'string' }, message: { type: 'string' } },
  required: ['path', 'message'],
} as const
const mapping = {
  type: 'object',
  description: 'File header → field name, `<money field>.currency`, or null (column ignored)',
  additionalProperties: { type: ['string', 'null'] },
} as const

const schemas = {
  ImportJob: {
    type: 'object',
    description: 'An import run: progress moves in the transaction of each batch of rows.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      entity: { type: 'string' },
      userId: { type: 'string', format: 'uuid' },
      fileName: { type: 'string' },
      status: { type: 'string', enum: ['running', 'done', 'failed'] },
      rowsDone: { ...count, description: 'Data rows committed (the header is not counted)' },
      totalRows: { type: ['integer', 'null'], description: 'Known once the run is done' },
      inserted: count,
      updated: count,
      failed: {
        ...count,
        description:
          'Rows refused (every row of a refused record); their reasons are in the error file',
      },
      error: { type: ['string', 'null'] },
      options: {
        type: 'object',
        properties: {
          mode: { type: 'string', enum: ['insert', 'upsert'] },
          key: { type: 'string' },
          group: { type: 'string' },
          mapping,
          headers: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    required: ['id', 'entity', 'status', 'rowsDone', 'inserted', 'updated', 'failed'],
  },
  ImportPreviewRow: {
    type: 'object',
    properties: {
      number: { type: 'integer', minimum: 1 },
      cells: { type: 'array', items: { type: 'string' } },
      values: {
        type: 'object',
        description:
          'What the record would write, as the API takes it (its lines under the child table); empty on a row that continues a record',
      },
      issues: { type: 'array', items: issue },
      action: { type: ['string', 'null'], enum: ['insert', 'update', null] },
      record: {
        type: 'integer',
        minimum: 1,
        description: 'With child rows: the first row of the record this row carries lines of',
      },
    },
    required: ['number', 'cells', 'values', 'issues'],
  },
  ImportPreview: {
    type: 'object',
    properties: {
      headers: { type: 'array', items: { type: 'string' } },
      mapping,
      totalRows: count,
      failedRows: count,
      rows: { type: 'array', items: ref('ImportPreviewRow') },
      errors: { type: 'array', items: ref('ImportPreviewRow') },
    },
    required: ['headers', 'mapping', 'totalRows', 'failedRows', 'rows', 'errors'],
  },
}

/** A multipart body of one part named `file` (CSV or XLSX). */
export const fileBody = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: { file: { type: 'string', format: 'binary', description: '.csv or .xlsx' } },
        required: ['file'],
      },
    },
  },
}

const query = (name: string, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string' },
})

const runParameters = [
  query('entity', 'The entity the rows become records of', true),
  query('mode', '`insert` (default without a key) or `upsert`'),
  query('key', 'upsert: a de-duplication rule id, a unique field or an auto-number field name'),
  query(
    'group',
    'With child columns (`lines.product`): the header whose cells say which record a row belongs to; default the key’s columns, else a row with empty record cells continues the record above',
  ),
  query(
    'mapping',
    'JSON object of header → field (a child table’s field as `lines.product`); default: the caller’s saved mapping over headers matched by name or label (en, zh-CN, ko)',
  ),
  query('batch', 'Rows per transaction (default 500)'),
]

/** Import of CSV and XLSX files: preview, run, progress, error file, saved mapping. */
export function buildImportPaths(): PathGroup {
  const tags = ['import']
  const job = uuidPath('id', 'The import run')
  return {
    tags: [{ name: 'import', description: 'Import of CSV and XLSX files into an entity' }],
    schemas,
    paths: {
      '/api/import/preview': {
        post: {
          tags,
          operationId: 'previewImport',
          summary: 'Preview an import: every row converted and validated, nothing written',
          description:
            'Needs the `import` action on the entity (403). A mapping naming a missing header or a field that cannot be imported answers 400 at `mapping.<header>`; a field the caller may not write 403.',
          parameters: [
            ...runParameters,
            query('limit', 'Rows and refused rows shown (default 20)'),
          ],
          requestBody: fileBody,
          responses: {
            200: ok(
              'The mapping, counts, the first rows and the first refused rows',
              ref('ImportPreview'),
            ),
            ...errors(400, 401, 403, 413, 415, 422),
          },
        },
      },
      '/api/import': {
        post: {
          tags,
          operationId: 'runImport',
          summary: 'Import a file: each row created, or updated by its key, as the API would',
          description:
            "Rows go through the entity's validation, rules, de-duplication, scopes and audit, in batches of one transaction each; a refused row leaves the others. Answers at once with the run; follow it at /api/import/jobs/{id}/events. The same file with the same options while a run of it is unfinished (after a crash) resumes that run after its last committed row.",
          parameters: runParameters,
          requestBody: fileBody,
          responses: {
            202: ok('The run, started or resumed', ref('ImportJob')),
            ...errors(400, 401, 403, 413, 415, 422),
          },
        },
      },
      '/api/import/mapping': {
        get: {
          tags,
          operationId: 'getImportMapping',
          summary: 'The caller’s saved mapping for an entity',
          parameters: [query('entity', 'The entity', true)],
          responses: {
            200: ok('Saved when a run was given a mapping', {
              type: 'object',
              properties: { mapping: { oneOf: [mapping, { type: 'null' }] } },
              required: ['mapping'],
            }),
            ...errors(400, 401, 404, 422),
          },
        },
      },
      '/api/import/jobs/{id}': {
        get: {
          tags,
          operationId: 'getImportJob',
          summary: 'An import run of the caller (any, for an administrator)',
          parameters: [job],
          responses: { 200: ok('The run', ref('ImportJob')), ...errors(400, 401, 404) },
        },
      },
      '/api/import/jobs/{id}/events': {
        get: {
          tags,
          operationId: 'followImportJob',
          summary: 'Progress of a run as Server-Sent Events',
          description:
            '`event: progress` with the run whenever it moved (from the database: a run in any process), then `event: end` once it is done or failed.',
          parameters: [job],
          responses: {
            200: {
              description: 'An event stream',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errors(400, 401, 404),
          },
        },
      },
      '/api/import/jobs/{id}/errors': {
        get: {
          tags,
          operationId: 'getImportErrors',
          summary: 'The error file: refused rows as they were, with the row number and the reason',
          description:
            "UTF-8 CSV with a byte order mark: the file’s own columns, then `Import row` and `Import error`. Cells are guarded against spreadsheet formulas (a leading `'`), which the next import reads back off, so the fixed file imports as it is.",
          parameters: [job],
          responses: {
            200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...errors(400, 401, 404),
          },
        },
      },
    },
  }
}
