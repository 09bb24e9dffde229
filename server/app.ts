import { Hono } from 'hono'
import { createSessionResolver } from '../runtime/identity'
import type { AppDeps, AppEnv } from './app-deps'
import { auth } from './middleware/auth'
import { bodyLimit } from './middleware/body-limit'
import { chain } from './middleware/chain'
import { SplitRouter } from './http/split-router'
import { errorHandler, notFoundHandler } from './middleware/error-handler'
import { requestId } from './middleware/request-id'
import { adminRoutes } from './routes/admin'
import { adminJobsRoutes } from './routes/admin-jobs'
import { authRoutes } from './routes/auth'
import { dashboardRoutes } from './routes/dashboard'
import { dataRoutes } from './routes/data'
import { designerStatic } from './routes/designer-static'
import { directoryRoutes } from './routes/directory'
import { exportRoutes } from './routes/export'
import { fileRoutes } from './routes/files'
import { flowRoutes } from './routes/flows'
import { healthRoutes } from './routes/health'
import { IMPORT_UPLOAD_PATHS, importRoutes } from './routes/import'
import { inboxRoutes } from './routes/inbox'
import { metaRoutes } from './routes/meta'
import { notificationRoutes } from './routes/notifications'
import { openApiRoutes } from './routes/openapi'
import { ORG_IMPORT_UPLOAD_PATHS, orgImportRoutes } from './routes/org-import'
import { poolRoutes } from './routes/pools'
import { printRoutes } from './routes/print'
import { reportRoutes } from './routes/reports'
import { searchRoutes } from './routes/search'
import { sharingRoutes } from './routes/sharing'

export type { AppDeps, AppEnv, MetadataSource } from './app-deps'

/** Endpoints answered without a session. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  '/api/health',
  '/api/auth/login',
  '/api/auth/logout',
  '/api/auth/session',
  '/api/openapi.json',
  '/api/docs',
  '/api/approval-links/{token}',
])

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * Builds the HTTP app: request ids, body limit, auth, the /api routes, the designer.
 * @example serve({ fetch: buildApp({ db, log, clock, metadata }).fetch, port: 3000 })
 */
export function buildApp(options: AppDeps): Hono<AppEnv> {
  const deps = { ...options, sessions: options.sessions ?? createSessionResolver(options.db) }
  const onError = errorHandler(deps.log)
  const app = new Hono<AppEnv>({ router: new SplitRouter({ onError }) })
  app.onError(onError)
  app.notFound(notFoundHandler())
  app.use(requestId())
  app.use(
    '/api/*',
    chain(
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        except: ['/api/files', ...IMPORT_UPLOAD_PATHS, ...ORG_IMPORT_UPLOAD_PATHS],
      }),
      auth({ sessions: deps.sessions, clock: deps.clock, publicPaths: PUBLIC_PATHS }),
    ),
  )
  app.route('/api/health', healthRoutes(deps))
  app.route('/api/auth', authRoutes(deps))
  app.route('/api/meta', metaRoutes(deps))
  app.route('/api/admin/jobs', adminJobsRoutes(deps))
  app.route('/api/admin/org-import', orgImportRoutes(deps))
  app.route('/api/admin', adminRoutes(deps))
  app.route('/api/directory', directoryRoutes(deps))
  app.route('/api', poolRoutes(deps))
  app.route('/api/data', exportRoutes(deps))
  app.route('/api/data', printRoutes(deps))
  app.route('/api/data', sharingRoutes(deps))
  app.route('/api/data', flowRoutes(deps))
  app.route('/api/data', dataRoutes(deps))
  app.route('/api/search', searchRoutes(deps))
  app.route('/api/reports', reportRoutes(deps))
  app.route('/api/dashboard', dashboardRoutes(deps))
  app.route('/api/import', importRoutes(deps))
  app.route('/api/files', fileRoutes(deps))
  app.route('/api', inboxRoutes(deps))
  app.route('/api/notifications', notificationRoutes(deps))
  app.route('/api', openApiRoutes(deps))
  if (deps.designerDir) app.use('*', designerStatic({ root: deps.designerDir }))
  return app
}
