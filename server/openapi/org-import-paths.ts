import { fileBody } from './import-paths'
import { errors, ok, ref, type PathGroup } from './operation-parts'

const count = { type: 'integer', minimum: 0 } as const
const column = {
  type: ['string', 'null'],
  enum: ['username', 'displayName', 'email', 'department', 'manager', 'roles', null],
} as const
const mapping = {
  type: 'object',
  description: 'File header → the column it fills, or null (ignored)',
  additionalProperties: column,
} as const
const problems = { type: 'array', items: ref('OrgImportProblem') } as const
const paths = { type: 'array', items: { type: 'string' } } as const

const schemas = {
  OrgImportProblem: {
    type: 'object',
    description: 'A department, manager, role or user cell of a row that did not resolve',
    properties: {
      row: { type: 'integer', minimum: 1 },
      field: { type: 'string' },
      text: { type: 'string' },
      reason: { type: 'string' },
    },
    required: ['row', 'field', 'text', 'reason'],
  },
  OrgImportPreview: {
    type: 'object',
    properties: {
      headers: paths,
      mapping,
      totalRows: count,
      creates: count,
      updates: count,
      departmentsCreated: { ...paths, description: 'Department paths the run would create' },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            row: { type: 'integer', minimum: 1 },
            cells: { type: 'object', additionalProperties: { type: 'string' } },
            action: { type: 'string', enum: ['create', 'update'] },
          },
          required: ['row', 'cells', 'action'],
        },
      },
      problems,
    },
    required: [
      'headers',
      'mapping',
      'totalRows',
      'creates',
      'updates',
      'departmentsCreated',
      'rows',
      'problems',
    ],
  },
  OrgImportReport: {
    type: 'object',
    properties: { created: count, updated: count, departmentsCreated: paths, problems },
    required: ['created', 'updated', 'departmentsCreated', 'problems'],
  },
}

const mappingParameter = {
  name: 'mapping',
  in: 'query',
  required: false,
  description:
    'JSON object of header → username, displayName, email, department, manager, roles or null; default: headers matched by name in en, zh-CN or ko',
  schema: { type: 'string' },
}

const about =
  'Administrators only (403). A department is a path from the top (`ACME/Sales/East`, missing ones created) or a unique name; a manager a username or a unique display name, possibly of a user further down the file; roles separated by `;`. A mapping naming a missing header or an unknown column, a column twice, or no username answers 400 at `mapping…`; a file over 20 MB 413 naming `file`.'

/** The organisation import: an administrator's people file, previewed then run. */
export function buildOrgImportPaths(): PathGroup {
  const tags = ['admin']
  return {
    tags: [],
    schemas,
    paths: {
      '/api/admin/org-import/preview': {
        post: {
          tags,
          operationId: 'previewOrgImport',
          summary: 'Preview an organisation file: users, departments and what would not resolve',
          description: `${about} Nothing is written.`,
          parameters: [
            mappingParameter,
            {
              name: 'limit',
              in: 'query',
              required: false,
              description: 'Rows shown (default 20, at most 200)',
              schema: { type: 'string' },
            },
          ],
          requestBody: fileBody,
          responses: {
            200: ok('What the run would do', ref('OrgImportPreview')),
            ...errors(400, 401, 403, 413, 415, 422),
          },
        },
      },
      '/api/admin/org-import': {
        post: {
          tags,
          operationId: 'runOrgImport',
          summary: 'Import an organisation file: departments, users, managers and roles',
          description: `${about} A new user gets a random password to be reset by an administrator; an existing username is updated. What did not resolve is reported row by row and the rest is imported.`,
          parameters: [mappingParameter],
          requestBody: fileBody,
          responses: {
            200: ok(
              'What was created and updated, and what did not resolve',
              ref('OrgImportReport'),
            ),
            ...errors(400, 401, 403, 413, 415, 422),
          },
        },
      },
    },
  }
}
