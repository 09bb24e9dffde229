import type { Context } from 'hono'
import type { Result, Router } from 'hono/router'
import { PatternRouter } from 'hono/router/pattern-router'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { TrieRouter } from 'hono/router/trie-router'

type Route<T> = [method: string, path: string, handler: T]

/**
 * Hono's RegExpRouter matches in one regular expression, but refuses a route table where a
 * parameter and a literal share a position (`/:entity/export` beside `/:entity/:id`), and Hono's
 * default then serves every request from the TrieRouter, many times slower. This router gives
 * the RegExpRouter every route it accepts (preferring routes with more parameters, which carry
 * most traffic) and sends only requests a refused route could match to a TrieRouter that holds
 * the whole table. The URLs and the route table stay as they are.
 */
export class SplitRouter<T> implements Router<T> {
  name = 'SplitRouter'
  #routes: Route<T>[] | undefined = []
  #onError: ErrorHandler | undefined
  #fusedLists = new WeakMap<Handlers, Handlers>()

  /**
   * With the app's error handler, a route's middlewares and handler run as one handler (see
   * `fuse`): Hono then skips its compose step and writes a response given back synchronously in
   * the same tick, as bare Hono does. Without it, matches are Hono's own.
   */
  constructor(options: { onError?: ErrorHandler } = {}) {
    this.#onError = options.onError
  }
  #fast: Router<T> | undefined
  #full: Router<T> | undefined
  #refused: PatternRouter<true> | undefined

  add(method: string, path: string, handler: T): void {
    if (!this.#routes) throw new Error('Can not add a route since the matcher is already built.')
    this.#routes.push([method, path, handler])
  }

  match(method: string, path: string): Result<T> {
    if (this.#routes) this.#build(this.#routes)
    if (this.#refused && this.#refused.match(method, path)[0].length > 0) {
      return this.#full!.match(method, path)
    }
    const result = this.#fast!.match(method, path)
    return this.#onError ? this.#fused(result, this.#onError) : result
  }

  // The RegExpRouter hands out the same handler list for every request to a route, so its fused
  // form is made once per route and kept beside it.
  #fused(result: Result<T>, onError: ErrorHandler): Result<T> {
    const list = result[0] as Handlers
    if (list.length < 2 || result.length < 2) return result // one handler, or a TrieRouter result
    let one = this.#fusedLists.get(list)
    if (!one) {
      one = fuseList(list, onError)
      this.#fusedLists.set(list, one)
    }
    return [one, result[1]] as unknown as Result<T>
  }

  /** Which router a request goes to (for tests and benchmarks). */
  routerFor(method: string, path: string): 'RegExpRouter' | 'TrieRouter' {
    if (this.#routes) this.#build(this.#routes)
    return this.#refused && this.#refused.match(method, path)[0].length > 0
      ? 'TrieRouter'
      : 'RegExpRouter'
  }

  #build(routes: Route<T>[]): void {
    this.#routes = undefined
    const accepted = acceptedRoutes(routes)
    const fast = new RegExpRouter<T>()
    for (const route of routes) if (accepted.has(route)) fast.add(...route)
    this.#fast = fast
    const refused = routes.filter((r) => !accepted.has(r))
    if (refused.length === 0) return
    const full = new TrieRouter<T>()
    for (const route of routes) full.add(...route)
    this.#full = full
    // PatternRouter also matches a trailing slash: a few more requests go the slow way, none wrong.
    this.#refused = new PatternRouter<true>()
    for (const [method, path] of refused) this.#refused.add(method, path, true)
  }
}

type Handlers = Result<unknown>[0]

/**
 * Hono keeps [[handler, its route], its parameters] per entry and reads parameters from the
 * entry it runs; one entry serves them all only when at most one entry has any (the route's:
 * middlewares sit on wildcard paths). Any other list is kept as it is.
 */
function fuseList(list: Handlers, onError: ErrorHandler): Handlers {
  const stored = list.map(([entry]) => entry as [Handler, unknown])
  if (!stored.every((e) => Array.isArray(e) && typeof e[0] === 'function')) return list
  const withParams = list.filter(([, params]) => Object.keys(params ?? {}).length > 0)
  if (withParams.length > 1) return list
  const [[, route], params] = (withParams[0] ?? list[list.length - 1]) as [
    [Handler, unknown],
    unknown,
  ]
  return [
    [
      [
        fuse(
          stored.map(([handler]) => handler),
          onError,
        ),
        route,
      ],
      params,
    ],
  ] as Handlers
}

type Handler = (c: Context, next: () => unknown) => unknown
type ErrorHandler = (err: Error, c: Context) => Response | Promise<Response>

/**
 * Runs `handlers` as Hono's compose does, without its async frames: each `next` runs the rest;
 * a response given back is recorded in `c.res`; an error thrown at any level becomes the error
 * handler's response there (`c.error` set), so code after `await next()` still runs; answers
 * `c.res` once the chain is done. Synchronous all the way when every handler is.
 */
function fuse(handlers: Handler[], onError: ErrorHandler): Handler {
  const last = handlers.length - 1
  return (c, next) => {
    const record = (res: unknown) => {
      if (res instanceof Response && !c.finalized) c.res = res
      return res
    }
    const fail = (err: unknown) => {
      if (!(err instanceof Error)) throw err
      c.error = err
      const res = onError(err, c)
      return res instanceof Promise ? res.then((r) => (c.res = r)) : (c.res = res)
    }
    const step = (i: number): unknown => {
      let res: unknown
      try {
        res = handlers[i](c, i === last ? next : () => step(i + 1))
      } catch (err) {
        return fail(err)
      }
      return res instanceof Promise ? res.then(record, fail) : record(res)
    }
    const done = step(0)
    const answer = () => (c.finalized ? c.res : undefined)
    return done instanceof Promise ? done.then(answer) : answer()
  }
}

/** The routes a RegExpRouter accepts together, tried with the most parameters first. */
function acceptedRoutes<T>(routes: Route<T>[]): Set<Route<T>> {
  const params = (path: string) => path.split('/:').length
  const tryOrder = routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => params(b.route[1]) - params(a.route[1]) || a.index - b.index)
  const accepted: Route<T>[] = []
  // One probe grows route by route; a refused route may leave it half-changed, so it is rebuilt
  // from the accepted routes only after a refusal (a handful of times, at the first request).
  let probe = new RegExpRouter<T>()
  for (const { route } of tryOrder) {
    try {
      probe.add(...route)
      accepted.push(route)
    } catch {
      probe = new RegExpRouter<T>()
      for (const kept of accepted) probe.add(...kept)
    }
  }
  try {
    probe.match('GET', '/')
  } catch {
    return new Set()
  }
  return new Set(accepted)
}
