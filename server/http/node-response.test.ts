import type { AddressInfo } from 'node:net'
import type { ServerResponse } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../app-deps'
import { requestId } from '../middleware/request-id'
import { TrellisResponse } from './node-response'

describe('the request id under Node with TrellisResponse', () => {
  let server: ReturnType<typeof serve>
  let base: string
  /** Whether Node's response already held the header while the route ran (its slow path). */
  const setEarly: boolean[] = []
  beforeAll(async () => {
    const app = new Hono<AppEnv>()
    app.onError((_err, c) => c.text('failed', 500))
    app.use(requestId())
    app.use(async (c, next) => {
      const outgoing = (c.env as { outgoing: ServerResponse }).outgoing
      setEarly.push(outgoing.getHeader('x-request-id') !== undefined)
      await next()
    })
    app.get('/plain', (c) => c.body('{"a":1}', 200, { 'content-type': 'application/json' }))
    app.get('/headers', (c) => {
      c.header('x-one', '1')
      return c.json({ b: 2 }, 201, { 'x-two': '2' })
    })
    app.get('/empty', (c) => c.body(null, 204))
    app.get('/fails', () => {
      throw new Error('boom')
    })
    await new Promise<void>((resolve) => {
      server = serve(
        { fetch: app.fetch, port: 0, serverOptions: { ServerResponse: TrellisResponse } },
        () => resolve(),
      )
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('writes a generated id with the headers of every kind of answer', async () => {
    for (const [path, status] of [
      ['/plain', 200],
      ['/headers', 201],
      ['/empty', 204],
      ['/fails', 500],
      ['/missing', 404],
    ] as const) {
      const res = await fetch(base + path)
      expect(res.status, path).toBe(status)
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/)
    }
    const headers = (await fetch(`${base}/headers`)).headers
    expect([headers.get('x-one'), headers.get('x-two')]).toEqual(['1', '2'])
    expect((await fetch(`${base}/plain`)).headers.get('content-type')).toBe('application/json')
  })

  it('echoes a sane incoming id', async () => {
    const res = await fetch(`${base}/plain`, { headers: { 'x-request-id': 'abc-123' } })
    expect(res.headers.get('x-request-id')).toBe('abc-123')
  })

  it("leaves Node's response without headers of its own until the route answers", () => {
    expect(setEarly.length).toBeGreaterThan(0)
    expect(setEarly.every((early) => !early)).toBe(true)
  })
})
