import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

/**
 * A request header by lower-case name. Under @hono/node-server it reads Node's already-parsed
 * headers: touching `c.req.raw.headers` there builds a whole Headers object per request.
 */
export function readHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (incoming?.headers) {
    const value = incoming.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }
  return c.req.raw.headers.get(name) ?? undefined
}

/** The peer address under @hono/node-server ('' elsewhere); proxies' X-Forwarded-For is not trusted. */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? ''
}
