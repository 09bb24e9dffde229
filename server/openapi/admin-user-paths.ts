import { LOCALES } from '../../metadata/labels'
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

/** Who may call /api/admin: said once, in every operation's description. */
export const ORG_ADMIN_ONLY =
  'Organisation administrators only: the admin flag or a role with `all` (403 otherwise).'

const strings: JsonSchema = { type: 'array', items: { type: 'string' } }

/** What an administrator may set on a user; a key left out is left alone. */
const PATCH_PROPERTIES: Record<string, JsonSchema> = {
  displayName: { type: 'string', minLength: 1, maxLength: 200 },
  email: { ...nullable(), format: 'email', maxLength: 320 },
  locale: { enum: [...LOCALES] },
  departmentId: nullable('uuid'),
  managerId: { ...nullable('uuid'), description: "Someone outside the user's reporting line" },
  positionId: nullable('uuid'),
  roles: { ...strings, description: "Ids of published roles; replaces the user's roles" },
  disabled: { type: 'boolean', description: "true ends the user's sessions" },
  isAdmin: { type: 'boolean' },
  attributes: {
    type: 'object',
    description: 'Row-filter variables (`$user.*`), at most 10,000 characters as JSON',
  },
}

const schemas: Record<string, JsonSchema> = {
  OrgUser: {
    type: 'object',
    description: 'A user as the admin API shows it (never the password hash)',
    properties: {
      id: { type: 'string', format: 'uuid' },
      username: { type: 'string' },
      displayName: { type: 'string' },
      email: nullable(),
      locale: { type: 'string' },
      isAdmin: { type: 'boolean' },
      disabled: { type: 'boolean' },
      departmentId: nullable('uuid'),
      managerId: nullable('uuid'),
      positionId: nullable('uuid'),
      roles: strings,
      attributes: { type: 'object' },
    },
    required: [
      'id',
      'username',
      'displayName',
      'email',
      'locale',
      'isAdmin',
      'disabled',
      'departmentId',
      'managerId',
      'positionId',
      'roles',
      'attributes',
    ],
  },
  NewOrgUser: {
    type: 'object',
    properties: {
      username: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' },
      password: { type: 'string', minLength: 8, maxLength: 1024 },
      ...PATCH_PROPERTIES,
    },
    required: ['username', 'password', 'displayName'],
    additionalProperties: false,
  },
  UserChanges: { type: 'object', properties: PATCH_PROPERTIES, additionalProperties: false },
}

/** The users of the organisation under /api/admin/users. */
export function buildAdminUserPaths(): PathGroup {
  const tags = ['admin']
  const id = uuidPath('id', 'The user id')
  return {
    tags: [{ name: 'admin', description: 'Organisation: users, departments, positions, roles' }],
    schemas,
    paths: {
      '/api/admin/users': {
        get: {
          tags,
          operationId: 'adminListUsers',
          summary: 'Users matching `q` (username, name or email), by name',
          description: ORG_ADMIN_ONLY,
          parameters: [
            { name: 'q', in: 'query', schema: { type: 'string' } },
            {
              name: 'limit',
              in: 'query',
              description: 'Default 200, at most 1000',
              schema: { type: 'integer', minimum: 1 },
            },
          ],
          responses: { 200: ok('Users', dataList(ref('OrgUser'))), ...errors(400, 401, 403) },
        },
        post: {
          tags,
          operationId: 'adminCreateUser',
          summary: 'Create a user with department, manager, position, roles and attributes',
          description: `${ORG_ADMIN_ONLY} A taken username answers 409.`,
          requestBody: jsonBody(ref('NewOrgUser')),
          responses: {
            201: ok('Created', ref('OrgUser')),
            ...errors(400, 401, 403, 409, 413, 422),
          },
        },
      },
      '/api/admin/users/{id}': {
        get: {
          tags,
          operationId: 'adminGetUser',
          summary: 'One user',
          description: ORG_ADMIN_ONLY,
          parameters: [id],
          responses: { 200: ok('The user', ref('OrgUser')), ...errors(400, 401, 403, 404) },
        },
        patch: {
          tags,
          operationId: 'adminUpdateUser',
          summary: 'Change a user; their cached sessions reload at once',
          description: `${ORG_ADMIN_ONLY} A manager loop answers 422 naming \`managerId\`.`,
          parameters: [id],
          requestBody: jsonBody(ref('UserChanges')),
          responses: {
            200: ok('The changed user', ref('OrgUser')),
            ...errors(400, 401, 403, 404, 413, 422),
          },
        },
      },
      '/api/admin/users/{id}/password': {
        post: {
          tags,
          operationId: 'adminResetPassword',
          summary: "Set a user's password; every session and API token of theirs ends",
          description: ORG_ADMIN_ONLY,
          parameters: [id],
          requestBody: jsonBody({
            type: 'object',
            properties: { password: { type: 'string', minLength: 8, maxLength: 1024 } },
            required: ['password'],
          }),
          responses: { 204: noContent('Set'), ...errors(400, 401, 403, 404, 413, 422) },
        },
      },
    },
  }
}
