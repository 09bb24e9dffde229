import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { PayloadTooLargeError } from '../../runtime/errors'
import { toByteSize } from '../http/byte-size'
import { bodyText, BodyTooLarge, readIncomingBody } from '../http/incoming-body'
import { JSON_MEDIA_TYPE } from '../http/json-body'

/**
 * Refuses request bodies over `maxSize` bytes with 413 (through the error handler). `except`:
 * paths whose POST streams its body under a limit of its own (uploads). Under @hono/node-server
 * a JSON body is read from Node's stream here and handed to the routes as the request's text
 * (`c.req.text()`, `c.req.json()`); other bodies go through hono's limit on the web Request.
 */
export function bodyLimit(options: {
  maxSize: number
  except?: readonly string[]
}): MiddlewareHandler {
  const size = toByteSize(options.maxSize)
  const tooLarge = () =>
    new PayloadTooLargeError(`The request body is larger than the limit of ${size}`, [
      { path: 'body', message: `is larger than ${size}` },
    ])
  const limit = honoBodyLimit({
    maxSize: options.maxSize,
    onError: () => {
      throw tooLarge()
    },
  })
  return async (c, next) => {
    // Most requests carry no body: skip hono's wrapper for them.
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next()
    if (options.except?.includes(c.req.path)) return next()
    const incoming = jsonIncoming(c)
    if (!incoming) return limit(c, next)
    let body: Buffer
    try {
      body = await readIncomingBody(incoming, options.maxSize)
    } catch (err) {
      throw err instanceof BodyTooLarge ? tooLarge() : err
    }
    // hono keeps each body reading's promise there (its types say the value).
    ;(c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(bodyText(body))
    return next()
  }
}

/** Node's request, when the body is JSON and nothing has read it yet (a stream, not a stand-in). */
function jsonIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!(incoming instanceof Readable) || incoming.readableEnded || incoming.readableDidRead)
    return undefined
  return JSON_MEDIA_TYPE.test(incoming.headers['content-type'] ?? '') ? incoming : undefined
}
