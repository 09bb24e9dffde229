import { LOCALES } from '../../metadata/labels'
import {
  dataList,
  errors,
  jsonBody,
  noContent,
  nullable,
  ok,
  PUBLIC,
  ref,
  uuidPath,
  type PathGroup,
} from './operation-parts'

const SESSION_ONLY = 'Needs a session: an API token answers 403.'

const schemas = {
  ApiToken: {
    type: 'object',
    description: 'An API token as listed: never its secret',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      createdAt: { type: 'string', format: 'date-time' },
      expiresAt: nullable('date-time'),
      lastUsedAt: nullable('date-time'),
      revokedAt: nullable('date-time'),
    },
    required: ['id', 'name', 'roles', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'],
  },
  NewApiToken: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      roles: {
        type: 'array',
        items: { type: 'string' },
        description: "A subset of the caller's role ids; all of them when left out",
      },
      expiresAt: { ...nullable('date-time'), description: 'In the future; null = never' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  CreatedApiToken: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      expiresAt: nullable('date-time'),
      token: { type: 'string', description: 'The secret (`trl_…`): shown this once only' },
    },
    required: ['id', 'name', 'roles', 'expiresAt', 'token'],
  },
}

/** Sign in and out, the caller, their own password and their API tokens. */
export function buildAuthPaths(): PathGroup {
  const tags = ['auth']
  return {
    tags: [{ name: 'auth', description: 'Sessions, own password and API tokens' }],
    schemas,
    paths: {
      '/api/auth/login': {
        post: {
          tags,
          operationId: 'login',
          summary: 'Sign in; sets the session cookie',
          description:
            'Every try is counted before the password is checked, per username and address, per username and per address; past a limit it answers 429. A request from another site (Origin or Referer) answers 403.',
          security: PUBLIC,
          requestBody: jsonBody({
            type: 'object',
            properties: { username: { type: 'string' }, password: { type: 'string' } },
            required: ['username', 'password'],
          }),
          responses: {
            200: ok('Signed in', {
              type: 'object',
              properties: {
                token: { type: 'string' },
                user: ref('User'),
                expiresAt: { type: 'string', format: 'date-time' },
              },
              required: ['token', 'user', 'expiresAt'],
            }),
            ...errors(400, 401, 403, 413, 415, 429),
          },
        },
      },
      '/api/auth/logout': {
        post: {
          tags,
          operationId: 'logout',
          summary: 'End the session (if any) and clear the cookie',
          description: 'A request from another site (Origin or Referer) answers 403.',
          security: PUBLIC,
          responses: { 204: noContent('Signed out'), ...errors(403, 413) },
        },
      },
      '/api/auth/session': {
        get: {
          tags,
          operationId: 'session',
          summary: 'Who is signed in, or null (never 401): for pages that work either way',
          security: PUBLIC,
          responses: {
            200: ok('The caller, or null when the request carries no valid session', {
              type: 'object',
              properties: { user: { anyOf: [ref('User'), { type: 'null' }] } },
              required: ['user'],
            }),
          },
        },
      },
      '/api/auth/me': {
        get: {
          tags,
          operationId: 'me',
          summary: 'The signed-in user',
          responses: {
            200: ok('The caller', {
              type: 'object',
              properties: { user: ref('User') },
              required: ['user'],
            }),
            ...errors(401),
          },
        },
        patch: {
          tags,
          operationId: 'setOwnPreferences',
          summary:
            'Change your own preferences: the language of the workspace and of what you are sent',
          requestBody: jsonBody({
            type: 'object',
            properties: { locale: { type: 'string', enum: [...LOCALES] } },
            additionalProperties: false,
          }),
          responses: {
            200: ok('The caller, changed', {
              type: 'object',
              properties: { user: ref('User') },
              required: ['user'],
            }),
            ...errors(400, 401, 403, 413),
          },
        },
      },
      '/api/auth/password': {
        post: {
          tags,
          operationId: 'changeOwnPassword',
          summary:
            'Change your own password; your other sessions end and your API tokens are revoked',
          description: `${SESSION_ONLY} Wrong current passwords are throttled (429).`,
          requestBody: jsonBody({
            type: 'object',
            properties: {
              currentPassword: { type: 'string', minLength: 1 },
              newPassword: { type: 'string', minLength: 8, maxLength: 1024 },
            },
            required: ['currentPassword', 'newPassword'],
          }),
          responses: {
            204: noContent('Changed'),
            ...errors(400, 401, 403, 413, 422, 429),
          },
        },
      },
      '/api/auth/tokens': {
        get: {
          tags,
          operationId: 'listApiTokens',
          summary: 'Your API tokens, newest first, revoked ones included',
          description: SESSION_ONLY,
          responses: { 200: ok('Tokens', dataList(ref('ApiToken'))), ...errors(400, 401, 403) },
        },
        post: {
          tags,
          operationId: 'createApiToken',
          summary: 'Create an API token limited to some of your roles',
          description: `${SESSION_ONLY} Send it as \`Authorization: Bearer <token>\`.`,
          requestBody: jsonBody(ref('NewApiToken')),
          responses: {
            201: ok('Created; the secret is in `token`', ref('CreatedApiToken')),
            ...errors(400, 401, 403, 413, 422),
          },
        },
      },
      '/api/auth/tokens/{id}': {
        delete: {
          tags,
          operationId: 'revokeApiToken',
          summary: 'Revoke one of your API tokens',
          description: SESSION_ONLY,
          parameters: [uuidPath('id', 'The token id')],
          responses: { 204: noContent('Revoked'), ...errors(401, 403, 404) },
        },
      },
    },
  }
}
