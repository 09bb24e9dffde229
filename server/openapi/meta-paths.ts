import { META_SCHEMAS } from './meta-schemas'
import { dataList, errors, jsonBody, ok, ref, type PathGroup } from './operation-parts'

const tags = ['meta']
const entityFilter = {
  name: 'entity',
  in: 'query',
  description: 'Only those of this entity',
  schema: { type: 'string' },
}
const kindParam = {
  name: 'kind',
  in: 'path',
  required: true,
  description: 'Any other kind answers 404',
  schema: {
    type: 'string',
    enum: [
      'entities',
      'forms',
      'views',
      'roles',
      'alerts',
      'pools',
      'calendars',
      'slas',
      'flows',
      'reports',
      'templates',
      'dashboards',
      'extensions',
    ],
  },
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const adminOnly = 'Administrators only (403 otherwise).'
const boolParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', enum: ['true', 'false'] },
})

/** A published list of one kind: `{ data: [summary…] }`. */
function listOf(kind: string, summary: string, filtered: boolean) {
  return {
    get: {
      tags,
      operationId: `listPublished${kind[0].toUpperCase()}${kind.slice(1)}`,
      summary: `Published ${kind}, summarised`,
      ...(filtered ? { parameters: [entityFilter] } : {}),
      responses: { 200: ok('Summaries', dataList(ref(summary))), ...errors(400, 401) },
    },
  }
}

/** Reading the published metadata (any signed-in user) and editing drafts (administrators). */
export function buildMetaPaths(): PathGroup {
  return {
    tags: [
      {
        name: 'meta',
        description:
          'Metadata: packages, entities, forms, views, roles, alerts, pools, calendars, SLAs, flows, reports, templates, dashboards, extensions, drafts',
      },
    ],
    schemas: META_SCHEMAS,
    paths: {
      '/api/meta/packages': {
        get: {
          tags,
          operationId: 'listPackages',
          summary: 'Modules and their entities, in sidebar order',
          responses: { 200: ok('Navigation', ref('Navigation')), ...errors(400, 401) },
        },
        post: {
          tags,
          operationId: 'installPackage',
          summary: 'Plan adding or updating one package; install it with `apply=true`',
          description: `${adminOnly} The instance's other packages and the definitions made over the API stay as they are; the package replaces what its earlier version brought. Invalid definitions answer 400 naming each issue; destructive steps need \`confirmDestructive=true\` (409 otherwise).`,
          parameters: [
            boolParam('apply', 'Install the package (otherwise only plan)'),
            boolParam('confirmDestructive', 'Allow steps that destroy data'),
          ],
          requestBody: jsonBody(ref('PackageBody')),
          responses: {
            200: ok('The plan (and, applied, the new version)', ref('InstallResult')),
            ...errors(400, 401, 403, 409, 413, 415),
          },
        },
      },
      '/api/meta/entities': listOf('entities', 'EntitySummary', false),
      '/api/meta/forms': listOf('forms', 'FormSummary', true),
      '/api/meta/views': listOf('views', 'ViewSummary', true),
      '/api/meta/roles': listOf('roles', 'RoleSummary', false),
      '/api/meta/alerts': listOf('alerts', 'AlertSummary', true),
      '/api/meta/pools': listOf('pools', 'PoolSummary', true),
      '/api/meta/calendars': listOf('calendars', 'CalendarSummary', false),
      '/api/meta/slas': listOf('slas', 'SlaSummary', true),
      '/api/meta/flows': listOf('flows', 'FlowSummary', true),
      '/api/meta/reports': listOf('reports', 'ReportSummary', true),
      '/api/meta/templates': listOf('templates', 'TemplateSummary', true),
      '/api/meta/dashboards': listOf('dashboards', 'DashboardSummary', false),
      '/api/meta/extensions': listOf('extensions', 'ExtensionSummary', false),
      '/api/meta/{kind}/{id}': {
        get: {
          tags,
          operationId: 'getDefinition',
          summary: 'One published definition',
          parameters: [kindParam, idParam],
          responses: { 200: ok('The definition', ref('Definition')), ...errors(400, 401, 404) },
        },
        put: {
          tags,
          operationId: 'saveDraft',
          summary: 'Save a definition as a draft; its `id` must equal the path id',
          description: `${adminOnly} An invalid definition answers 400 naming each issue.`,
          parameters: [kindParam, idParam],
          requestBody: jsonBody(ref('Definition')),
          responses: {
            200: ok('Saved as draft', {
              type: 'object',
              properties: {
                kind: {
                  enum: [
                    'entity',
                    'form',
                    'view',
                    'role',
                    'alert',
                    'pool',
                    'calendar',
                    'sla',
                    'flow',
                    'report',
                    'template',
                    'dashboard',
                  ],
                },
                id: { type: 'string' },
                status: { const: 'draft' },
              },
              required: ['kind', 'id', 'status'],
            }),
            ...errors(400, 401, 403, 404, 413),
          },
        },
      },
      '/api/meta/plan': {
        post: {
          tags,
          operationId: 'planDrafts',
          summary: 'What applying the drafts would change, changing nothing',
          description: `${adminOnly} Drafts that do not fit together answer 400.`,
          responses: { 200: ok('The plan', ref('SchemaPlan')), ...errors(400, 401, 403, 413) },
        },
      },
      '/api/meta/apply': {
        post: {
          tags,
          operationId: 'applyDrafts',
          summary: 'Publish the drafts: schema change and new metadata version',
          description: `${adminOnly} A plan with destructive steps needs \`confirmDestructive\` (409 otherwise).`,
          requestBody: {
            required: false,
            content: jsonBody({
              type: 'object',
              properties: { confirmDestructive: { type: 'boolean' } },
            }).content,
          },
          responses: {
            200: ok('Applied', {
              type: 'object',
              properties: { plan: ref('SchemaPlan'), version: { type: 'integer' } },
              required: ['plan', 'version'],
            }),
            ...errors(400, 401, 403, 409, 413),
          },
        },
      },
    },
  }
}
