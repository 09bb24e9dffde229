import type { Context } from 'hono'
import { ForbiddenError } from '../../runtime/errors'
import { readHeader } from './read-header'
import { isHttps } from './session-cookie'

/** The origin a browser on this site sends: scheme, host and port as the client reached us. */
function ownOrigin(c: Context): string | null {
  const host =
    readHeader(c, 'x-forwarded-host')?.split(',')[0].trim() ??
    readHeader(c, 'host') ??
    new URL(c.req.url).host
  return toOrigin(`${isHttps(c) ? 'https' : 'http'}://${host}`)
}

/** `scheme://host[:port]` of a URL, default ports left out; null when it is no URL. */
function toOrigin(url: string): string | null {
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}

/**
 * Refuses (403) a request a browser sent from another site: its Origin (else its Referer) must
 * equal this server's scheme, host and port; without either, Sec-Fetch-Site must not say
 * cross-site. Clients that are no browsers send none of them and pass; browsers cannot be made
 * to leave them out, nor to forge the forwarded headers a proxy sets.
 * @example assertSameOrigin(c) // in a handler that acts on a cookie or sets one
 */
export function assertSameOrigin(c: Context): void {
  const origin = readHeader(c, 'origin')
  const referer = origin === undefined ? readHeader(c, 'referer') : undefined
  const claimed = origin ?? referer
  if (claimed !== undefined) {
    const from = toOrigin(claimed)
    if (!from || from !== ownOrigin(c)) {
      throw new ForbiddenError('Cross-site request refused', [
        { path: origin === undefined ? 'referer' : 'origin', message: 'not this site' },
      ])
    }
    return
  }
  const site = readHeader(c, 'sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') {
    throw new ForbiddenError('Cross-site request refused', [
      { path: 'sec-fetch-site', message: `must be same-origin, not ${site}` },
    ])
  }
}
