import type { JsonSchema } from './field-schema'
import { dataList, errors, ok, ref, type PathGroup } from './operation-parts'
import { LIST_PARAMETERS } from './record-paths'

const value: JsonSchema = {
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }],
  description:
    'A dimension: its label in the caller\'s language. A measure: a number (counts, integer sums, ratios), an exact decimal string (sums and averages of decimals and money: "28900.88"), a day YYYY-MM-DD or an instant (min / max of dates)',
}

const keys: JsonSchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'null'] },
  description:
    'Group keys by dimension id (option value, id, day of the bucket start, number as text); `$aging` is an aging bucket number',
}

const column: JsonSchema = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      description:
        'A dimension or measure id; `measure$n` / `measure$total` pivot cells, `$agingN` aging buckets, `$conversion` funnel conversion',
    },
    label: { type: 'string' },
    kind: { enum: ['dimension', 'measure'] },
    format: { enum: ['number', 'integer', 'percent', 'money'] },
    valueKind: { enum: ['integer', 'decimal', 'date', 'datetime', 'ratio'] },
    currency: { type: 'string', description: 'money: the currency of the amounts (ISO 4217)' },
    measure: { type: 'string', description: 'The measure a pivot, aging or funnel column shows' },
    keys: { ...keys, description: "Keys this column adds to a row's keys to drill into its cell" },
    options: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          value: { type: 'string' },
          label: { type: 'string' },
          color: { type: 'string' },
        },
        required: ['value', 'label'],
      },
      description: "A select dimension: its options in the field's order, with their colours",
    },
  },
  required: ['id', 'label', 'kind'],
}

const row: JsonSchema = {
  type: 'object',
  properties: {
    keys,
    values: { type: 'object', additionalProperties: value, description: 'By column id' },
    total: { type: 'boolean', description: "A pivot's total row" },
  },
  required: ['keys', 'values'],
}

const result: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    shape: { enum: ['summary', 'pivot', 'funnel', 'aging', 'trend'] },
    chart: { type: 'object' },
    columns: { type: 'array', items: ref('ReportColumn') },
    rows: { type: 'array', items: ref('ReportRow') },
    totals: {
      type: 'object',
      additionalProperties: value,
      description: 'funnel: every measure over every row',
    },
    totalColumns: {
      type: 'array',
      items: ref('ReportColumn'),
      description: 'funnel: the columns of totals, with labels, formats and currencies',
    },
    truncated: { type: 'boolean', description: 'More groups than a report answers (1000)' },
  },
  required: ['id', 'label', 'shape', 'columns', 'rows', 'truncated'],
}

const summary: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    description: { type: 'string' },
    entity: { type: 'string' },
    shape: { type: 'string' },
    chart: { type: 'object' },
    parameters: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { enum: ['dateRange', 'select', 'user', 'department'] },
          label: { type: 'string' },
          default: {},
          options: { type: 'array', items: { type: 'object' } },
        },
        required: ['id', 'type', 'label'],
      },
    },
  },
  required: ['id', 'label', 'entity', 'shape', 'parameters'],
}

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The report id',
  schema: { type: 'string' },
}

const PARAMETERS_TEXT =
  "The report's declared parameters are query parameters of their id: a date range as a named period (`thisMonth`, `lastFiscalYear`, `last30Days`, …) or `from..to` days (either side may be left out; `..` lifts the default), a select as comma-separated option values, a user or department as an id. A bad value answers 422 naming the parameter; a name the report does not declare answers 400."

const page: JsonSchema = {
  type: 'object',
  properties: {
    data: { type: 'array', items: { type: 'object' } },
    nextCursor: { type: ['string', 'null'] },
    total: { type: 'integer' },
    totalCapped: { type: 'boolean' },
  },
  required: ['data', 'nextCursor'],
}

/** GET /api/reports, /api/reports/{id}/run, /export and /drill. */
export function buildReportPaths(): PathGroup {
  return {
    tags: [
      {
        name: 'reports',
        description: "Reports run in the caller's read scope, and their drill-downs",
      },
    ],
    schemas: { ReportColumn: column, ReportRow: row, ReportResult: result },
    paths: {
      '/api/reports': {
        get: {
          tags: ['reports'],
          operationId: 'listReports',
          summary: 'The reports the caller may run',
          description:
            'Reports over an entity the caller may read whose fields are all readable to them, with their parameters (select options with labels).',
          parameters: [
            {
              name: 'entity',
              in: 'query',
              description: 'Only reports over this entity',
              schema: { type: 'string' },
            },
          ],
          responses: { 200: ok('The reports', dataList(summary)), ...errors(400, 401) },
        },
      },
      '/api/reports/{id}/run': {
        get: {
          tags: ['reports'],
          operationId: 'runReport',
          summary: 'Run a report',
          description: `One SQL statement in the caller's read scope; a field hidden from the caller used anywhere in the report answers 403 naming it. ${PARAMETERS_TEXT}`,
          parameters: [idParam],
          responses: {
            200: ok('Columns and rows with labels', ref('ReportResult')),
            ...errors(400, 401, 403, 404, 422),
          },
        },
      },
      '/api/reports/{id}/export': {
        get: {
          tags: ['reports'],
          operationId: 'exportReport',
          summary: 'Export a report as CSV or XLSX',
          description: `The run's columns and rows as a file, headed by the labels in the caller's language (a funnel's totals as a last row): the same read scope and field rules as the run (a hidden field answers 403), and the \`export\` right on the report's entity (403). ${PARAMETERS_TEXT}`,
          parameters: [
            idParam,
            {
              name: 'format',
              in: 'query',
              description: '`csv` (default) or `xlsx`',
              schema: { type: 'string', enum: ['csv', 'xlsx'] },
            },
          ],
          responses: {
            200: {
              description: 'UTF-8 CSV with a byte order mark, or an XLSX workbook',
              content: {
                'text/csv': { schema: { type: 'string' } },
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: { type: 'string', format: 'binary' },
                },
              },
            },
            ...errors(400, 401, 403, 404, 422),
          },
        },
      },
      '/api/reports/{id}/drill': {
        get: {
          tags: ['reports'],
          operationId: 'drillReport',
          summary: 'The records behind a report cell',
          description: `A page of the source entity's list (as GET /api/data/{entity}) holding the records of the cell's rows, in the caller's read scope. ${PARAMETERS_TEXT}`,
          parameters: [
            idParam,
            {
              name: 'cell',
              in: 'query',
              description:
                "JSON of the cell's keys: a row's `keys` merged with its column's `keys`; empty: every record the report reads",
              schema: { type: 'string' },
            },
            {
              name: 'measure',
              in: 'query',
              description:
                'A measure whose filter narrows the records (the won deals behind a win count)',
              schema: { type: 'string' },
            },
            ...LIST_PARAMETERS.filter((p) => p.name !== 'filter'),
          ],
          responses: { 200: ok('A page of records', page), ...errors(400, 401, 403, 404, 422) },
        },
      },
    },
  }
}
