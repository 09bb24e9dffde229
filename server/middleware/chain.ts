import type { Env, MiddlewareHandler } from 'hono'

/**
 * Runs several middlewares as one entry of the route table, each calling the next directly:
 * every entry costs a step through Hono's compose (an async frame and a promise) per request.
 * For middlewares that call `next()` or throw; one answering by itself must be the last.
 */
export function chain<E extends Env>(...handlers: MiddlewareHandler<E>[]): MiddlewareHandler<E> {
  return handlers.reduceRight(
    (inner, outer) => (c, next) => outer(c, () => inner(c, next) as Promise<void>),
  )
}
