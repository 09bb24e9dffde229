import { toLabel } from '../../metadata/labels'
import type { MetadataSet } from '../../runtime/registry'
import { buildEntitySchemas } from './entity-schemas'
import { buildPlatformPaths } from './platform-paths'
import { buildRecordPaths } from './record-paths'
import { buildSharedComponents } from './shared-components'

/**
 * The OpenAPI 3.1 document of an instance, generated from its live metadata. Pure.
 * @example const doc = buildOpenApi(await metadata.current())
 */
export function buildOpenApi(meta: MetadataSet) {
  const shared = buildSharedComponents()
  const schemas: Record<string, unknown> = { ...shared.schemas }
  const paths: Record<string, unknown> = buildPlatformPaths()
  const tags = [
    { name: 'system', description: 'Health and this document' },
    { name: 'auth', description: 'Sessions' },
    { name: 'meta', description: 'Metadata: entities, forms, views, drafts' },
  ]
  for (const entity of meta.bundle.entities) {
    Object.assign(schemas, buildEntitySchemas(entity))
    // Child rows are read and written inside their parent's record.
    if (entity.childOf) continue
    Object.assign(paths, buildRecordPaths(entity))
    tags.push({
      name: entity.id,
      description: toLabel(entity.pluralLabel ?? entity.label, 'en', entity.id),
    })
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trellis API',
      version: String(meta.version),
      description: 'Generated from the published metadata (version ' + meta.version + ').',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    tags,
    paths,
    components: { ...shared, schemas },
  }
}
