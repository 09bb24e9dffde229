import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { PayloadTooLargeError } from '../../runtime/errors'
import { toByteSize } from '../http/byte-size'

/**
 * Refuses request bodies over `maxSize` bytes with 413 (through the error handler). `except`:
 * paths whose POST streams its body under a limit of its own (uploads).
 */
export function bodyLimit(options: {
  maxSize: number
  except?: readonly string[]
}): MiddlewareHandler {
  const size = toByteSize(options.maxSize)
  const limit = honoBodyLimit({
    maxSize: options.maxSize,
    onError: () => {
      throw new PayloadTooLargeError(`The request body is larger than the limit of ${size}`, [
        { path: 'body', message: `is larger than ${size}` },
      ])
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
