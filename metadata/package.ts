import { camelIdSchema, packageIdSchema, schemaRefSchema, SEMVER } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A module: a versioned package of definitions and demo data. */
export interface PackageManifest {
  $schema?: string
  id: string
  version: string
  label: Labels
  description?: Labels
  dependencies?: Record<string, string>
  /** Sidebar order of the module's entities. */
  navigation?: string[]
}

/** Schema of a `PackageManifest`. */
export const packageSchema = schemaFor<PackageManifest>()({
  type: 'object',
  properties: {
    $schema: schemaRefSchema,
    id: packageIdSchema,
    version: { type: 'string', pattern: SEMVER, maxLength: 64 },
    label: labelsSchema,
    description: labelsSchema,
    dependencies: {
      type: 'object',
      description: 'Package id → version range, e.g. { "customer": "^1.0.0" }.',
      propertyNames: packageIdSchema,
      additionalProperties: { type: 'string', minLength: 1, maxLength: 100 },
    },
    navigation: { type: 'array', items: camelIdSchema, maxItems: 100, uniqueItems: true },
  },
  required: ['id', 'version', 'label'],
  additionalProperties: false,
})

/** Standalone schema document of `PackageManifest` (metadata/schemas/package.schema.json). */
export const packageJsonSchema = toSchemaDocument(
  'package',
  'Trellis package manifest',
  packageSchema,
)

/** The kinds of definition a package holds: its folder (and bundle key) → the kind it is validated as. */
export const PACKAGE_KIND_OF_FOLDER = {
  entities: 'entity',
  forms: 'form',
  views: 'view',
  roles: 'role',
  alerts: 'alert',
  pools: 'pool',
  calendars: 'calendar',
  slas: 'sla',
  flows: 'flow',
  reports: 'report',
  templates: 'template',
  dashboards: 'dashboard',
  extensions: 'extension',
} as const
