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

/**
 * The client's address: the peer under @hono/node-server ('' elsewhere), or, behind
 * `trustedProxies` proxies, the address the outermost of them saw. Each proxy appends its peer to
 * X-Forwarded-For, so only the last `trustedProxies` entries are theirs; what comes before them
 * the client may have written itself.
 * @example clientAddress(c, 1) // one reverse proxy in front
 */
export function clientAddress(c: Context, trustedProxies = 0): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  const peer = incoming?.socket?.remoteAddress ?? ''
  if (trustedProxies <= 0) return peer
  const hops = (readHeader(c, 'x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const chain = [...hops, peer]
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]
}
