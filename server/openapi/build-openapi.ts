import { toLabel } from '../../metadata/labels'
import type { MetadataSet } from '../../runtime/registry'
import { buildAdminJobsPaths } from './admin-jobs-paths'
import { buildAdminOrgPaths } from './admin-org-paths'
import { buildAdminUserPaths } from './admin-user-paths'
import { buildAuthPaths } from './auth-paths'
import { buildDashboardPaths } from './dashboard-paths'
import { buildDirectoryPaths } from './directory-paths'
import { buildEntitySchemas } from './entity-schemas'
import { buildExportPaths } from './export-paths'
import { buildPrintPaths } from './print-paths'
import { buildFilePaths } from './file-paths'
import { buildImportPaths } from './import-paths'
import { buildFlowPaths } from './flow-paths'
import { FLOW_SCHEMAS } from './flow-schemas'
import { buildInboxPaths } from './inbox-paths'
import { buildMetaPaths } from './meta-paths'
import { buildNotificationPaths } from './notification-paths'
import { buildOrgImportPaths } from './org-import-paths'
import type { PathGroup, Tag } from './operation-parts'
import { buildPoolPaths } from './pool-paths'
import { buildRecordPaths } from './record-paths'
import { buildReportPaths } from './report-paths'
import { buildSearchPaths } from './search-paths'
import { buildSharedComponents, errorResponse } from './shared-components'
import { buildSharingPaths } from './sharing-paths'
import { SHARING_SCHEMAS } from './sharing-schemas'
import { buildSystemPaths } from './system-paths'

/** The resources that do not depend on the metadata, in the order /api/docs lists them. */
const PLATFORM_GROUPS: (() => PathGroup)[] = [
  buildSystemPaths,
  buildAuthPaths,
  buildMetaPaths,
  buildAdminUserPaths,
  buildAdminOrgPaths,
  buildAdminJobsPaths,
  buildDirectoryPaths,
  buildNotificationPaths,
  buildInboxPaths,
  buildFilePaths,
  buildReportPaths,
  buildDashboardPaths,
  buildImportPaths,
  buildOrgImportPaths,
]

/**
 * The OpenAPI 3.1 document of an instance, generated from its live metadata. Pure.
 * @example const doc = buildOpenApi(await metadata.current())
 */
export function buildOpenApi(meta: MetadataSet) {
  const shared = buildSharedComponents()
  const schemas: Record<string, unknown> = {
    ...shared.schemas,
    ...SHARING_SCHEMAS,
    ...FLOW_SCHEMAS,
  }
  const paths: Record<string, unknown> = {}
  const tags: Tag[] = []
  for (const group of PLATFORM_GROUPS.map((build) => build())) {
    Object.assign(paths, group.paths)
    Object.assign(schemas, group.schemas)
    tags.push(...group.tags)
  }
  Object.assign(paths, buildSearchPaths())
  tags.push({ name: 'search', description: 'Free text across the readable entities' })
  for (const entity of meta.bundle.entities) {
    Object.assign(schemas, buildEntitySchemas(entity))
    // Child rows are read and written inside their parent's record.
    if (entity.childOf) continue
    Object.assign(paths, buildRecordPaths(entity), buildExportPaths(entity))
    Object.assign(paths, buildSharingPaths(entity), buildFlowPaths(entity))
    Object.assign(paths, buildPrintPaths(entity, meta.bundle.templates ?? []))
    tags.push({
      name: entity.id,
      description: toLabel(entity.pluralLabel ?? entity.label, 'en', entity.id),
    })
  }
  const pools = buildPoolPaths(meta)
  Object.assign(paths, pools.paths)
  Object.assign(schemas, pools.schemas)
  tags.push(...pools.tags)
  addUnsupportedMediaType(paths)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trellis API',
      version: String(meta.version),
      description: 'Generated from the published metadata (version ' + meta.version + ').',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    tags: tags.filter((tag, i) => tags.findIndex((t) => t.name === tag.name) === i),
    paths,
    components: { ...shared, schemas },
  }
}

/** Every operation that reads a JSON body answers 415 to a body sent as anything else. */
function addUnsupportedMediaType(paths: Record<string, unknown>): void {
  for (const item of Object.values(paths) as Record<string, Record<string, unknown>>[]) {
    for (const op of Object.values(item)) {
      const responses = op.responses as Record<string, unknown> | undefined
      if (op.requestBody && responses && !responses[415])
        responses[415] = errorResponse('UnsupportedMediaType')
    }
  }
}
