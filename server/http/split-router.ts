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
    return this.#fast!.match(method, path)
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
