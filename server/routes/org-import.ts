import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Ctx } from '../../runtime/context'
import {
  importOrganisation,
  previewOrganisation,
  type ImportFile,
  type OrgMapping,
} from '../../runtime/io'
import { assertOrgAdmin } from '../../runtime/org'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toJsonParam, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'
import { uploadToTemp } from '../http/upload-to-temp'

/** The paths whose POST streams an organisation file under MAX_ORG_IMPORT_BYTES. */
export const ORG_IMPORT_UPLOAD_PATHS = [
  '/api/admin/org-import',
  '/api/admin/org-import/preview',
] as const
/** Largest organisation file: tens of thousands of people fit many times over. */
export const MAX_ORG_IMPORT_BYTES = 20 * 1024 * 1024

/**
 * The administrator's context (403 before the file is read otherwise), the mapping of the query
 * and the uploaded file handed to `use`.
 */
async function orgUpload<T>(
  c: Context<AppEnv>,
  deps: AppDeps,
  params: readonly string[],
  use: (ctx: Ctx, file: ImportFile, q: Record<string, string>, mapping?: OrgMapping) => Promise<T>,
): Promise<T> {
  const locale = requestLocale(c)
  const q = readQuery(c, params, locale)
  const ctx = await requestCtx(c, deps)
  assertOrgAdmin(ctx)
  const mapping = toJsonParam('mapping', q.mapping, locale) as OrgMapping | undefined
  return uploadToTemp(c, MAX_ORG_IMPORT_BYTES, async (file) => ({
    answer: await use(ctx, file, q, mapping),
  }))
}

/**
 * The organisation import under /api/admin/org-import, administrators only: POST /preview and
 * POST / take the file (multipart part `file`, CSV or XLSX) with an optional `mapping` (JSON:
 * header → username, displayName, email, department, manager, roles or null) in the query; the
 * preview writes nothing, the run answers its report (what did not resolve, row by row).
 */
export function orgImportRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/preview', async (c) => {
      const preview = await orgUpload(c, deps, ['mapping', 'limit'], (ctx, file, q, mapping) => {
        const limit = Math.min(toPositiveIntParam('limit', q.limit, requestLocale(c)) ?? 20, 200)
        return previewOrganisation(ctx, file, mapping, limit)
      })
      return c.json(preview)
    })
    .post('/', async (c) => {
      const report = await orgUpload(c, deps, ['mapping'], (ctx, file, _q, mapping) =>
        importOrganisation(ctx, file, mapping),
      )
      deps.sessions?.apply({ all: true })
      return c.json(report)
    })
}
