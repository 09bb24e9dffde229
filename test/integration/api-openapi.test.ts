import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

type Doc = {
  openapi: string
  paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>>
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
}

/** Every `$ref` in the document, with where it sits. */
function collectRefs(node: unknown, at = '#', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((n, i) => collectRefs(n, `${at}/${i}`, out))
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push([at, v])
      else collectRefs(v, `${at}/${k}`, out)
    }
  }
  return out
}

function pointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      doc,
    )
}

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

  it('has the collection, item and history paths of every top-level entity', () => {
    for (const entity of FIXTURE_BUNDLE.entities.filter((e) => !e.childOf)) {
      const base = `/api/data/${entity.id}`
      expect(Object.keys(doc.paths[base] ?? {}).sort(), base).toEqual(['get', 'post'])
      expect(Object.keys(doc.paths[`${base}/{id}`] ?? {}).sort()).toEqual([
        'delete',
        'get',
        'patch',
      ])
      expect(doc.paths[`${base}/{id}/history`]?.get).toBeDefined()
    }
  })

  it('documents the auth endpoints, public ones without security', () => {
    expect(doc.paths['/api/auth/login'].post.security).toEqual([])
    expect(doc.paths['/api/auth/me'].get).toBeDefined()
    expect(doc.paths['/api/auth/logout'].post).toBeDefined()
  })

  it('has a component schema for every entity, child entities included', () => {
    for (const entity of FIXTURE_BUNDLE.entities) {
      const name = entity.id[0].toUpperCase() + entity.id.slice(1)
      expect(doc.components.schemas[`${name}Record`], entity.id).toBeDefined()
    }
  })

  it('resolves every $ref', () => {
    const refs = collectRefs(doc)
    expect(refs.length).toBeGreaterThan(20)
    for (const [at, ref] of refs) expect(pointer(doc, ref), `${ref} at ${at}`).toBeDefined()
  })

  it('has component schemas that compile with ajv and describe real records', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true })
    addFormats.default(ajv)
    const rewritten = JSON.parse(
      JSON.stringify(doc.components.schemas).replaceAll(
        '#/components/schemas/',
        'https://trellis.test/components#/$defs/',
      ),
    )
    ajv.addSchema({ $id: 'https://trellis.test/components', $defs: rewritten })
    const check = (name: string) => ajv.getSchema(`https://trellis.test/components#/$defs/${name}`)!
    for (const name of Object.keys(rewritten)) expect(check(name), name).toBeTypeOf('function')
    const input = check('CustomerInput')
    expect(input({ name: 'Acme', revenue: { amount: 10, currency: 'CNY' }, status: 'lead' })).toBe(
      true,
    )
    expect(input({ name: 'Acme', status: 'unknown' })).toBe(false)
    expect(input({ email: 'a@b.co' })).toBe(false)
    expect(check('QuoteInput')({ title: 'Q', lines: [{ product: 'P', qty: 2 }] })).toBe(true)
  })

  it('serves a self-contained docs page', async () => {
    const res = await f.call('GET', '/api/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('/api/openapi.json')
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/)
  })
})
