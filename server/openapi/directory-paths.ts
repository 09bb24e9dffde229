import { dataList, errors, nullable, ok, ref, type PathGroup } from './operation-parts'

const schemas = {
  DirectoryUser: {
    type: 'object',
    description: 'What any signed-in user may know about a colleague',
    properties: {
      id: { type: 'string', format: 'uuid' },
      displayName: { type: 'string' },
      username: { type: 'string' },
      departmentId: nullable('uuid'),
    },
    required: ['id', 'displayName', 'username', 'departmentId'],
  },
  DirectoryDepartment: {
    type: 'object',
    description: 'What any signed-in user may know about a department',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      parentId: nullable('uuid'),
      kind: { enum: ['company', 'department'] },
    },
    required: ['id', 'name', 'parentId', 'kind'],
  },
}

/** Colleagues and departments for pickers and owner names: any signed-in user. */
export function buildDirectoryPaths(): PathGroup {
  const tags = ['directory']
  return {
    tags: [{ name: 'directory', description: 'Colleagues and departments, for pickers' }],
    schemas,
    paths: {
      '/api/directory/users': {
        get: {
          tags,
          operationId: 'directoryUsers',
          summary: 'Enabled users matching `q` (username or name), or the users `ids` names',
          parameters: [
            { name: 'q', in: 'query', schema: { type: 'string' } },
            {
              name: 'ids',
              in: 'query',
              description:
                'Comma-separated user ids (at most 200): exactly those users, disabled ones included, instead of a search',
              schema: { type: 'string' },
            },
            {
              name: 'limit',
              in: 'query',
              description: 'Default 50, at most 500',
              schema: { type: 'integer', minimum: 1 },
            },
          ],
          responses: { 200: ok('Users', dataList(ref('DirectoryUser'))), ...errors(400, 401) },
        },
      },
      '/api/directory/departments': {
        get: {
          tags,
          operationId: 'directoryDepartments',
          summary: 'Every department with its parent, by sort order and name',
          responses: {
            200: ok('Departments', dataList(ref('DirectoryDepartment'))),
            ...errors(400, 401),
          },
        },
      },
    },
  }
}
