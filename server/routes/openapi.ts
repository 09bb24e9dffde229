import { Hono } from 'hono'
import type { MetadataSet } from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { buildOpenApi } from '../openapi/build-openapi'
import { DOCS_PAGE } from '../openapi/docs-page'

/** GET /openapi.json (generated from the live metadata, once per version) and GET /docs. */
export function openApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const cache = new WeakMap<MetadataSet, string>()
  return new Hono<AppEnv>()
    .get('/openapi.json', async (c) => {
      const meta = await deps.metadata.current()
      let json = cache.get(meta)
      if (!json) {
        json = JSON.stringify(buildOpenApi(meta))
        cache.set(meta, json)
      }
      return c.body(json, 200, { 'content-type': 'application/json; charset=utf-8' })
    })
    .get('/docs', (c) => c.html(DOCS_PAGE))
}
