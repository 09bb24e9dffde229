import { ORG_ADMIN_ONLY } from './admin-user-paths'
import type { JsonSchema } from './field-schema'
import {
  dataList,
  errors,
  jsonBody,
  noContent,
  nullable,
  ok,
  ref,
  uuidPath,
  type PathGroup,
} from './operation-parts'

const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 }
const sortOrder: JsonSchema = { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000 }
const departmentMoves = {
  parentId: { ...nullable('uuid'), description: 'Not the department itself or one below it' },
  headUserId: nullable('uuid'),
  sortOrder,
}

const schemas: Record<string, JsonSchema> = {
  Department: {
    type: 'object',
    description: 'A company or department',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      kind: { enum: ['company', 'department'] },
      parentId: nullable('uuid'),
      headUserId: nullable('uuid'),
      sortOrder: { type: 'integer' },
    },
    required: ['id', 'name', 'kind', 'parentId', 'headUserId', 'sortOrder'],
  },
  NewDepartment: {
    type: 'object',
    properties: {
      name,
      kind: { enum: ['company', 'department'], default: 'department' },
      ...departmentMoves,
    },
    required: ['name'],
    additionalProperties: false,
  },
  DepartmentChanges: {
    type: 'object',
    properties: { name, ...departmentMoves },
    additionalProperties: false,
  },
  Position: {
    type: 'object',
    description: 'A job position, optionally tied to a department',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      departmentId: nullable('uuid'),
    },
    required: ['id', 'name', 'departmentId'],
  },
  ListedPosition: {
    allOf: [
      ref('Position'),
      {
        type: 'object',
        properties: {
          holders: { type: 'integer', minimum: 0, description: 'How many users hold it' },
        },
        required: ['holders'],
      },
    ],
  },
  NewPosition: {
    type: 'object',
    properties: { name, departmentId: nullable('uuid') },
    required: ['name'],
    additionalProperties: false,
  },
  PositionChanges: {
    type: 'object',
    properties: { name, departmentId: nullable('uuid') },
    additionalProperties: false,
  },
}

/** Departments, positions and the roles an administrator assigns, under /api/admin. */
export function buildAdminOrgPaths(): PathGroup {
  const tags = ['admin']
  const id = uuidPath('id', 'The department id')
  const positionId = uuidPath('id', 'The position id')
  const description = ORG_ADMIN_ONLY
  return {
    tags: [],
    schemas,
    paths: {
      '/api/admin/departments': {
        get: {
          tags,
          operationId: 'adminListDepartments',
          summary: 'Every department, by sort order and name',
          description,
          responses: {
            200: ok('Departments', dataList(ref('Department'))),
            ...errors(400, 401, 403),
          },
        },
        post: {
          tags,
          operationId: 'adminCreateDepartment',
          summary: 'Create a department (or company) under `parentId`',
          description,
          requestBody: jsonBody(ref('NewDepartment')),
          responses: {
            201: ok('Created', ref('Department')),
            ...errors(400, 401, 403, 413, 422),
          },
        },
      },
      '/api/admin/departments/{id}': {
        patch: {
          tags,
          operationId: 'adminUpdateDepartment',
          summary: 'Rename, move, set the head or the order of a department',
          description,
          parameters: [id],
          requestBody: jsonBody(ref('DepartmentChanges')),
          responses: {
            200: ok('The changed department', ref('Department')),
            ...errors(400, 401, 403, 404, 413, 422),
          },
        },
        delete: {
          tags,
          operationId: 'adminDeleteDepartment',
          summary: 'Delete an empty department',
          description: `${ORG_ADMIN_ONLY} Users or sub-departments still in it answer 409 (with their counts as \`users\` and \`departments\`).`,
          parameters: [id],
          responses: { 204: noContent('Deleted'), ...errors(401, 403, 404, 409) },
        },
      },
      '/api/admin/positions': {
        get: {
          tags,
          operationId: 'adminListPositions',
          summary: 'Every position, by name',
          description,
          responses: {
            200: ok('Positions', dataList(ref('ListedPosition'))),
            ...errors(400, 401, 403),
          },
        },
        post: {
          tags,
          operationId: 'adminCreatePosition',
          summary: 'Create a position',
          description,
          requestBody: jsonBody(ref('NewPosition')),
          responses: { 201: ok('Created', ref('Position')), ...errors(400, 401, 403, 413, 422) },
        },
      },
      '/api/admin/positions/{id}': {
        patch: {
          tags,
          operationId: 'adminUpdatePosition',
          summary: 'Rename a position or tie it to another department (or none)',
          description,
          parameters: [positionId],
          requestBody: jsonBody(ref('PositionChanges')),
          responses: {
            200: ok('The changed position', ref('Position')),
            ...errors(400, 401, 403, 404, 413, 422),
          },
        },
        delete: {
          tags,
          operationId: 'adminDeletePosition',
          summary: 'Delete a position nobody holds',
          description: `${ORG_ADMIN_ONLY} A position still held answers 409 (with the count as \`users\`).`,
          parameters: [positionId],
          responses: { 204: noContent('Deleted'), ...errors(401, 403, 404, 409) },
        },
      },
      '/api/admin/roles': {
        get: {
          tags,
          operationId: 'adminListRoles',
          summary: 'The published roles, whole, for assigning them to users',
          description,
          responses: { 200: ok('Roles', dataList(ref('Role'))), ...errors(400, 401, 403) },
        },
      },
    },
  }
}
