import type { AddressInfo } from 'node:net'
import { request as httpRequest } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrellisError } from '../../runtime/errors'
import { readJsonObject } from '../http/json-body'
import { bodyLimit } from './body-limit'

/** Whether @hono/node-server built the web Request behind `c.req.raw` (its private cache). */
const builtWebRequest = (raw: Request) =>
  Object.getOwnPropertySymbols(raw).some(
    (s) => s.description === 'requestCache' && (raw as never)[s] !== undefined,
  )

/** A raw HTTP request, so the test chooses Content-Length or chunks. */
function send(
  base: string,
  path: string,
  headers: Record<string, string>,
  chunks: (string | Buffer)[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    for (const chunk of chunks) req.write(chunk)
    req.end()
  })
}

describe('the body limit under Node', () => {
  let server: ReturnType<typeof serve>
  let base: string
  beforeAll(async () => {
    const app = new Hono()
    app.onError((err, c) =>
      err instanceof TrellisError
        ? c.json({ code: err.code }, err.status as 413)
        : c.text('failed', 500),
    )
    // The lightweight request @hono/node-server hands in, before any middleware may replace it.
    const original = new WeakMap<object, Request>()
    app.use(async (c, next) => {
      original.set(c.req, c.req.raw)
      await next()
    })
    app.use('/api/*', bodyLimit({ maxSize: 100, except: ['/api/upload'] }))
    app.post('/api/echo', async (c) => {
      const body = await readJsonObject(c)
      return c.json({ body, webRequest: builtWebRequest(original.get(c.req)!) })
    })
    app.post('/api/text', async (c) => c.json({ text: await c.req.text() }))
    app.post('/api/upload', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }))
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0 }, () => resolve())
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('hands a JSON body to the route read from Node, without building a web Request', async () => {
    const json = '{"name":"李雷 김철수","n":1}'
    const sent = await send(base, '/api/echo', { 'content-type': 'application/json' }, [
      json.slice(0, 9),
      json.slice(9),
    ])
    expect(sent.status).toBe(200)
    expect(JSON.parse(sent.body)).toEqual({
      body: { name: '李雷 김철수', n: 1 },
      webRequest: false,
    })
  })

  it('drops a leading byte order mark, as a web Request does', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":2}')])
    const sent = await send(base, '/api/echo', { 'content-type': 'application/json' }, [body])
    expect(JSON.parse(sent.body).body).toEqual({ a: 2 })
  })

  it('answers 413 for a JSON body over the limit, by its length or as it streams', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(200) })
    const declared = await send(
      base,
      '/api/echo',
      { 'content-type': 'application/json', 'content-length': String(big.length) },
      [big],
    )
    expect([declared.status, JSON.parse(declared.body).code]).toEqual([413, 'payload_too_large'])
    const streamed = await send(base, '/api/echo', { 'content-type': 'application/json' }, [
      big.slice(0, 60),
      big.slice(60),
    ])
    expect(streamed.status).toBe(413)
    // The connection still serves the next request.
    expect(
      (await send(base, '/api/echo', { 'content-type': 'application/json' }, ['{}'])).status,
    ).toBe(200)
  })

  it('leaves other bodies to hono: text under the limit, over it 413, excepted paths whole', async () => {
    const text = await send(base, '/api/text', { 'content-type': 'text/plain' }, ['hello'])
    expect(JSON.parse(text.body)).toEqual({ text: 'hello' })
    const over = await send(base, '/api/text', { 'content-type': 'text/plain' }, ['y'.repeat(150)])
    expect(over.status).toBe(413)
    const upload = await send(base, '/api/upload', { 'content-type': 'application/json' }, [
      'z'.repeat(500),
    ])
    expect(JSON.parse(upload.body)).toEqual({ bytes: 500 })
  })
})
