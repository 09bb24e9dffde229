import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { operationsOf, type Doc } from './openapi-doc-checks'

/**
 * Entries of the route table that are not endpoints, so the document leaves them out. Each must
 * really be in the table (no stale exclusions).
 */
const NOT_ENDPOINTS = [
  {
    route: 'ALL /*',
    reason:
      'middleware: request ids on every request; with a designer build also the static files of the designer and its SPA fallback (GET/HEAD outside /api)',
  },
  {
    route: 'ALL /api/*',
    reason: 'middleware: body limit and authentication in front of every API route',
  },
]

const TOP_LEVEL = FIXTURE_BUNDLE.entities.filter((e) => !e.childOf).map((e) => e.id)

/** Hono's `:param` (with an optional `{regex}`) as OpenAPI's `{param}`. */
const toTemplate = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')

/** A documented path of one entity back to the route it is served by (`/api/data/{entity}/…`). */
const toRoutePath = (path: string) =>
  path.replace(/^\/api\/data\/([^/]+)/, (whole, id: string) =>
    TOP_LEVEL.includes(id) ? '/api/data/{entity}' : whole,
  )

describe.each(testTargets())('OpenAPI coverage of the routes the app serves on $name', (target) => {
  let f: AppFixture
  let doc: Doc
  let designerDir: string
  /** `METHOD /path/{param}` of every entry in the route table of an app with a designer build. */
  let routes: string[]
  /** The same without a designer build (the fixture's app). */
  let apiOnly: string[]
  beforeAll(async () => {
    f = await openAppFixture(target)
    doc = (await (await f.call('GET', '/api/openapi.json')).json()) as Doc
    designerDir = await mkdtemp(join(tmpdir(), 'trellis-designer-'))
    const app = buildApp({
      db: f.db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(f.db),
      designerDir,
    })
    const list = (r: { method: string; path: string }) => `${r.method} ${toTemplate(r.path)}`
    routes = app.routes.map(list)
    apiOnly = f.app.routes.map(list)
  })
  afterAll(async () => {
    await f?.close()
    if (designerDir) await rm(designerDir, { recursive: true, force: true })
  })

  const isDocumented = (route: string) => {
    const [method, path] = route.split(' ')
    const documented = (p: string) => !!doc.paths[p]?.[method.toLowerCase()]
    if (!path.includes('{entity}')) return documented(path)
    // A route of every entity is documented once per top-level entity.
    return TOP_LEVEL.every((id) => documented(path.replace('{entity}', id)))
  }

  it('excludes only entries the table really has: the designer is one more middleware', () => {
    for (const { route } of NOT_ENDPOINTS) expect(routes, route).toContain(route)
    const count = (list: string[]) => list.filter((r) => r === 'ALL /*').length
    expect(routes.length).toBe(apiOnly.length + 1)
    expect(count(routes)).toBe(count(apiOnly) + 1)
    expect(routes.filter((r) => !r.split(' ')[1].startsWith('/api/'))).toEqual(['ALL /*', 'ALL /*'])
  })

  it('documents every route it serves under /api', () => {
    const excluded = new Set(NOT_ENDPOINTS.map((e) => e.route))
    const endpoints = routes.filter((r) => !excluded.has(r))
    expect(endpoints.length).toBeGreaterThan(40)
    const missing = endpoints.filter((r) => !isDocumented(r))
    expect(missing, `served but missing from /api/openapi.json: ${missing.join(', ')}`).toEqual([])
  })

  it('serves every operation it documents', () => {
    const served = new Set(routes)
    const stale = operationsOf(doc)
      .map(({ method, path }) => `${method.toUpperCase()} ${toRoutePath(path)}`)
      .filter((r) => !served.has(r))
    expect(stale, `documented but not served: ${stale.join(', ')}`).toEqual([])
  })

  it('documents the per-entity routes for every top-level entity and no child entity', () => {
    const perEntity = routes.filter((r) => r.includes('{entity}'))
    expect(perEntity.length).toBeGreaterThan(10)
    const child = FIXTURE_BUNDLE.entities.find((e) => e.childOf)!.id
    expect(Object.keys(doc.paths).filter((p) => p.startsWith(`/api/data/${child}`))).toEqual([])
  })
})
