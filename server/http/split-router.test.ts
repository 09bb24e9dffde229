import { Hono, type Context } from 'hono'
import pino from 'pino'
import type { Result } from 'hono/router'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { TrieRouter } from 'hono/router/trie-router'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import type { Db } from '../../runtime/db'
import { buildApp } from '../app'
import { SplitRouter } from './split-router'

/** A match as `handler id + params`, whatever shape the router answered in. */
function toMatches(result: Result<number>): string[] {
  const [found, stash] = result
  return found.map(([handler, params]) => {
    const values = Object.entries(params as Record<string, string | number>).map(
      ([k, v]) => `${k}=${stash ? stash[v as number] : v}`,
    )
    return `${handler}(${values.sort().join(',')})`
  })
}

// The app's route table without a database: routes are registered when the app is built.
const app = buildApp({
  db: {} as Db,
  log: pino({ level: 'silent' }),
  clock: systemClock,
  metadata: { current: () => Promise.reject(new Error('unused')), invalidate() {} },
  sessions: {
    resolve: async () => null,
    cached: () => undefined,
    start: async () => {},
    stop: async () => {},
    apply() {},
  },
})
const table = app.routes.map((r) => [r.method, r.path] as const)

const ID = '0193e0a1-5555-7777-8888-aaaaaaaaaaaa'
const REQUESTS: [string, string][] = [
  ['GET', '/api/meta/entities/customer'],
  ['GET', '/api/meta/entities'],
  ['GET', '/api/meta/packages'],
  ['GET', '/api/meta/__proto__/x'],
  ['PUT', '/api/meta/forms/customer'],
  ['POST', '/api/meta/apply'],
  ['GET', '/api/data/customer'],
  ['POST', '/api/data/customer'],
  ['GET', `/api/data/customer/${ID}`],
  ['PATCH', `/api/data/customer/${ID}`],
  ['DELETE', `/api/data/customer/${ID}`],
  ['GET', `/api/data/customer/${ID}/history`],
  ['GET', '/api/data/customer/export'],
  ['GET', '/api/data/customer/export/'],
  ['GET', `/api/data/customer/${ID}/shares`],
  ['POST', `/api/data/customer/${ID}/shares`],
  ['DELETE', `/api/data/customer/${ID}/shares/${ID}`],
  ['POST', '/api/data/customer/bulk/share'],
  ['POST', '/api/data/customer/bulk/transfer'],
  ['POST', '/api/data/customer/duplicates'],
  ['GET', '/api/admin/users/abc'],
  ['POST', '/api/auth/login'],
  ['GET', '/api/nothing/here'],
  ['GET', '/designer/page'],
  ['GET', '/'],
]

describe('the split router', () => {
  it("answers every request of the app's route table as the TrieRouter does", () => {
    const split = new SplitRouter<number>()
    const trie = new TrieRouter<number>()
    table.forEach(([method, path], i) => {
      split.add(method, path, i)
      trie.add(method, path, i)
    })
    for (const [method, path] of REQUESTS) {
      expect(toMatches(split.match(method, path)), `${method} ${path}`).toEqual(
        toMatches(trie.match(method, path)),
      )
    }
  })

  it('serves the hot paths from the RegExpRouter and only the refused ones from the trie', () => {
    const router = app.router as SplitRouter<unknown>
    expect(router).toBeInstanceOf(SplitRouter)
    expect(router.routerFor('GET', '/api/meta/entities/customer')).toBe('RegExpRouter')
    expect(router.routerFor('GET', `/api/data/customer/${ID}`)).toBe('RegExpRouter')
    expect(router.routerFor('PATCH', `/api/data/customer/${ID}`)).toBe('RegExpRouter')
    expect(router.routerFor('GET', '/api/data/customer')).toBe('RegExpRouter')
    expect(router.routerFor('POST', '/api/data/customer')).toBe('RegExpRouter')
    expect(router.routerFor('GET', '/api/data/customer/export')).toBe('TrieRouter')
    expect(router.routerFor('POST', '/api/data/customer/duplicates')).toBe('TrieRouter')
  })

  it('refuses routes added after the first match, like the routers it wraps', () => {
    const router = new SplitRouter<number>()
    router.add('GET', '/a', 1)
    router.match('GET', '/a')
    expect(() => router.add('GET', '/b', 2)).toThrow(/already built/)
  })
})

describe("the split router's one handler per route", () => {
  const onError = (err: Error, c: Context) => c.text(`handled: ${err.message}`, 500)

  /** An app like Trellis': a middleware before the routes, a wildcard one after them. */
  function sample() {
    const hono = new Hono({ router: new SplitRouter({ onError }) })
    hono.onError(onError)
    hono.notFound((c) => c.text('none here', 404))
    hono.use((c, next) => {
      c.header('x-first', '1')
      return next()
    })
    hono.use('/api/*', async (c, next) => {
      await next()
      c.header('x-after', 'set after the route')
      if (c.error) c.header('x-saw-error', c.error.message)
    })
    hono.get('/api/sync/:kind/:id', (c) => c.text(`${c.req.param('kind')}:${c.req.param('id')}`))
    hono.get('/api/async/:id', async (c) => c.text(`async ${c.req.param('id')}`))
    hono.get('/api/throws/:id', () => {
      throw new Error('boom')
    })
    hono.get('/api/rejects/:id', async () => {
      throw new Error('later boom')
    })
    hono.get('/api/passes/:id', (_c, next) => next())
    hono.use('*', async (c, next) => (c.req.path === '/static' ? c.text('static') : next()))
    return hono
  }

  it('gives each route its own parameters, though middlewares sit before and after it', async () => {
    const res = await sample().request('/api/sync/entities/customer')
    expect(await res.text()).toBe('entities:customer')
    expect(res.headers.get('x-first')).toBe('1')
    expect(res.headers.get('x-after')).toBe('set after the route')
    expect(await (await sample().request('/api/async/7')).text()).toBe('async 7')
  })

  it('answers without a promise when every middleware and the route do', () => {
    const plain = new Hono({ router: new SplitRouter({ onError }) })
    plain.use((_c, next) => next())
    plain.get('/api/x/:id', (c) => c.text(c.req.param('id')))
    const answer = plain.fetch(new Request('http://localhost/api/x/9'))
    expect(answer).toBeInstanceOf(Response)
  })

  it('turns an error into the error response where it is thrown, as compose does', async () => {
    const hono = sample()
    for (const [path, message] of [
      ['/api/throws/1', 'boom'],
      ['/api/rejects/1', 'later boom'],
    ]) {
      const res = await hono.request(path)
      expect([res.status, await res.text()]).toEqual([500, `handled: ${message}`])
      // The middleware around the route ran on, saw the error and added its header.
      expect(res.headers.get('x-after')).toBe('set after the route')
      expect(res.headers.get('x-saw-error')).toBe(message)
    }
  })

  it('sends requests no route answers to not-found, and a late wildcard still serves', async () => {
    const hono = sample()
    const passed = await hono.request('/api/passes/1')
    expect([passed.status, await passed.text()]).toEqual([404, 'none here'])
    expect(await (await hono.request('/static')).text()).toBe('static')
    expect((await hono.request('/elsewhere')).status).toBe(404)
  })

  it('answers as Hono itself does on the same app', async () => {
    const own = (router: SplitRouter<unknown> | RegExpRouter<unknown>) => {
      const hono = new Hono({ router: router as never })
      hono.onError(onError)
      hono.use('/api/*', async (c, next) => {
        await next()
        c.header('x-after', String(c.res.status))
      })
      hono.get('/api/a/:id', (c) => c.json({ id: c.req.param('id') }))
      hono.get('/api/b/:id', () => {
        throw new Error('b')
      })
      return hono
    }
    const split = own(new SplitRouter({ onError }))
    const hono = own(new RegExpRouter())
    for (const path of ['/api/a/1', '/api/b/2', '/api/c/3']) {
      const [a, b] = [await split.request(path), await hono.request(path)]
      expect([a.status, a.headers.get('x-after'), await a.text()]).toEqual([
        b.status,
        b.headers.get('x-after'),
        await b.text(),
      ])
    }
  })
})
