import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC_PATHS } from '../../server/app'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import {
  collectRefs,
  deref,
  operationsOf,
  pointer,
  schemaCompiler,
  type Doc,
} from './openapi-doc-checks'

type Parameter = { name: string; in: string; required?: boolean; schema?: unknown }
type Content = { content?: Record<string, { schema?: unknown }> }

describe.each(testTargets())('API OpenAPI document on $name', (target) => {
  let f: AppFixture
  let doc: Doc
  beforeAll(async () => {
    f = await openAppFixture(target)
    const res = await f.call('GET', '/api/openapi.json')
    expect(res.status).toBe(200)
    doc = (await res.json()) as Doc
  })
  afterAll(() => f?.close())

  it('is OpenAPI 3.1 with bearer and cookie security schemes', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: 'trellis_session' },
    })
  })

  it('has the record, export, sharing and duplicate paths of every top-level entity only', () => {
    for (const entity of FIXTURE_BUNDLE.entities) {
      const base = `/api/data/${entity.id}`
      const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort()
      if (entity.childOf) {
        expect(
          Object.keys(doc.paths).filter((p) => p.startsWith(`${base}/`) || p === base),
        ).toEqual([])
        continue
      }
      expect(methods(base), base).toEqual(['get', 'post'])
      expect(methods(`${base}/{id}`)).toEqual(['delete', 'get', 'patch'])
      expect(methods(`${base}/{id}/history`)).toEqual(['get'])
      expect(methods(`${base}/export`)).toEqual(['get'])
      expect(methods(`${base}/{id}/shares`)).toEqual(['get', 'post'])
      expect(methods(`${base}/{id}/shares/{shareId}`)).toEqual(['delete'])
      expect(methods(`${base}/bulk/share`)).toEqual(['post'])
      expect(methods(`${base}/bulk/transfer`)).toEqual(['post'])
      expect(methods(`${base}/duplicates`)).toEqual(['post'])
    }
  })

  it('documents the auth endpoints, public ones without security', () => {
    expect(doc.paths['/api/auth/login'].post.security).toEqual([])
    expect(doc.paths['/api/auth/me'].get).toBeDefined()
    expect(doc.paths['/api/auth/logout'].post).toBeDefined()
  })

  it('leaves security off exactly the operations of the public paths', () => {
    const open = operationsOf(doc)
      .filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
      .map(({ path }) => path)
    // A public path may have several operations (a signed link is read and acted on).
    expect([...new Set(open)].sort()).toEqual([...PUBLIC_PATHS].sort())
  })

  it('has a component schema for every entity, child entities included', () => {
    for (const entity of FIXTURE_BUNDLE.entities) {
      const name = entity.id[0].toUpperCase() + entity.id.slice(1)
      expect(doc.components.schemas[`${name}Record`], entity.id).toBeDefined()
    }
  })

  it('keeps the Record, Input and Patch suffixes for entity schemas, so no entity id collides', () => {
    const entityNames = FIXTURE_BUNDLE.entities.flatMap((e) =>
      ['Record', 'Input', 'Patch'].map((s) => e.id[0].toUpperCase() + e.id.slice(1) + s),
    )
    const suffixed = Object.keys(doc.components.schemas).filter((n) =>
      /(Record|Input|Patch)$/.test(n),
    )
    expect(suffixed.sort()).toEqual(entityNames.sort())
  })

  it('resolves every $ref', () => {
    const refs = collectRefs(doc)
    expect(refs.length).toBeGreaterThan(20)
    for (const [at, ref] of refs) expect(pointer(doc, ref), `${ref} at ${at}`).toBeDefined()
  })

  it('names every operation uniquely, tags it with a declared tag and gives it a success', () => {
    const declared = doc.tags.map((t) => t.name)
    expect(new Set(declared).size).toBe(declared.length)
    const ids = new Map<string, string>()
    for (const { method, path, op } of operationsOf(doc)) {
      const where = `${method.toUpperCase()} ${path}`
      expect(op.operationId, where).toMatch(/^[A-Za-z0-9_.-]+$/)
      expect(ids.get(op.operationId!), `${op.operationId} of ${where}`).toBeUndefined()
      ids.set(op.operationId!, where)
      expect(op.tags?.length, where).toBeGreaterThan(0)
      for (const tag of op.tags ?? []) expect(declared, where).toContain(tag)
      expect(
        Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
        where,
      ).toBe(true)
      for (const [status, res] of Object.entries(op.responses)) {
        expect(
          deref<{ description?: string }>(doc, res).description,
          `${where} ${status}`,
        ).toBeTruthy()
      }
    }
  })

  it('declares each path parameter of a path, required, and no other', () => {
    for (const { method, path, op } of operationsOf(doc)) {
      const params = (op.parameters ?? []).map((p) => deref<Parameter>(doc, p))
      const inPath = params.filter((p) => p.in === 'path')
      const named = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      expect(inPath.map((p) => p.name).sort(), `${method} ${path}`).toEqual(named.sort())
      for (const p of inPath) expect(p.required, `${method} ${path} ${p.name}`).toBe(true)
      const keys = params.map((p) => `${p.in}:${p.name}`)
      expect(new Set(keys).size, `${method} ${path}`).toBe(keys.length)
    }
  })

  it('has component schemas that compile with ajv and describe real records', () => {
    const compile = schemaCompiler(doc)
    const check = (name: string) => compile({ $ref: `#/components/schemas/${name}` })
    for (const name of Object.keys(doc.components.schemas)) {
      expect(check(name), name).toBeTypeOf('function')
    }
    const input = check('CustomerInput')
    expect(input({ name: 'Acme', revenue: { amount: 10, currency: 'CNY' }, status: 'lead' })).toBe(
      true,
    )
    expect(input({ name: 'Acme', status: 'unknown' })).toBe(false)
    expect(input({ email: 'a@b.co' })).toBe(false)
    expect(check('QuoteInput')({ title: 'Q', lines: [{ product: 'P', qty: 2 }] })).toBe(true)
  })

  it('has parameter, body and response schemas that all compile with ajv', () => {
    const compile = schemaCompiler(doc)
    let compiled = 0
    for (const { method, path, op } of operationsOf(doc)) {
      const bodies = [op.requestBody, ...Object.values(op.responses)]
        .map((node) => (node ? (deref<Content>(doc, node).content ?? {}) : {}))
        .flatMap((content) => Object.values(content).map((media) => media.schema))
      const params = (op.parameters ?? []).map((p) => deref<Parameter>(doc, p).schema)
      for (const schema of [...bodies, ...params].filter(Boolean)) {
        expect(() => compile(schema), `${method} ${path}`).not.toThrow()
        compiled++
      }
    }
    expect(compiled).toBeGreaterThan(100)
  })

  it('serves a self-contained docs page', async () => {
    const res = await f.call('GET', '/api/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('/api/openapi.json')
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/)
  })
})
