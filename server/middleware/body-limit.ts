import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'

/**
 * Refuses request bodies over `maxSize` bytes with 413 (through the error handler). `except`:
 * paths whose POST streams its body under a limit of its own (uploads).
 */
export function bodyLimit(options: {
  maxSize: number
  except?: readonly string[]
}): MiddlewareHandler {
  const limit = honoBodyLimit({
    maxSize: options.maxSize,
    onError: () => {
      throw new HTTPException(413, { message: 'Request body too large' })
    },
  })
  return (c, next) => {
    // Most requests carry no body: skip hono's wrapper for them.
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next()
    if (options.except?.includes(c.req.path)) return next()
    return limit(c, next)
  }
}
