import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] }
}

describe.each(testTargets())('API error format on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  it('sets a generated x-request-id on every response', async () => {
    const res = await f.call('GET', '/api/health')
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('echoes a sane incoming x-request-id and replaces an insane one', async () => {
    const sane = await f.call('GET', '/api/health', { headers: { 'x-request-id': 'abc-123' } })
    expect(sane.headers.get('x-request-id')).toBe('abc-123')
    const insane = await f.call('GET', '/api/health', {
      headers: { 'x-request-id': 'a b<script>' },
    })
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers errors as { error: { code, message, details } } with the request id header', async () => {
    const res = await f.call('GET', '/api/nowhere', {
      token: f.adminToken,
      headers: { 'x-request-id': 'r-1' },
    })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-request-id')).toBe('r-1')
    const body = (await res.json()) as ErrorBody
    expect(body.error).toMatchObject({ code: 'not_found', details: [] })
    expect(typeof body.error.message).toBe('string')
  })

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await f.call('POST', '/api/auth/login', { body: '{"username": "admin",' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('bad_request')
    expect(body.error.details[0].path).toBe('body')
  })

  it('answers a body that is not an object with 400 naming the body', async () => {
    for (const raw of ['[1,2]', '"text"', 'null', '42']) {
      const res = await f.call('POST', '/api/data/customer', { token: f.adminToken, body: raw })
      expect(res.status, raw).toBe(400)
      expect(((await res.json()) as ErrorBody).error.details[0].path).toBe('body')
    }
  })

  it('answers an unknown query parameter with 400 naming it', async () => {
    const res = await f.call('GET', '/api/meta/entities?colour=red', { token: f.adminToken })
    expect(res.status).toBe(400)
    expect(((await res.json()) as ErrorBody).error.details[0].path).toBe('colour')
  })

  it('answers a body over 1 MB with 413', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(1024 * 1024 + 10), password: 'y' })
    const res = await f.call('POST', '/api/auth/login', { body: big })
    expect(res.status).toBe(413)
    expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large')
  })

  it('answers a streamed body over 1 MB without a length with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(256 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await f.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
  })

  it('answers an unexpected failure with a generic 500 and logs it', async () => {
    const broken = { ...f.db, query: () => Promise.reject(new Error('secret detail')) }
    const { buildApp } = await import('../../server/app')
    const pino = (await import('pino')).default
    const lines: string[] = []
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) })
    const metadata = { current: () => Promise.reject(new Error('never')), invalidate() {} }
    const app = buildApp({ db: broken, log, clock: { now: () => new Date() }, metadata })
    const res = await app.request('/api/health', { headers: { 'x-request-id': 'boom-1' } })
    expect(res.status).toBe(500)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('internal')
    expect(JSON.stringify(body)).not.toContain('secret')
    expect(lines.join('')).toContain('boom-1')
  })
})
