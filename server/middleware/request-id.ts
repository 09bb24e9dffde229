import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-deps'
import { TrellisResponse } from '../http/node-response'
import { readHeader } from '../http/read-header'

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Takes a sane incoming `x-request-id` or makes one, and echoes it on the response. */
export function requestId(): MiddlewareHandler<AppEnv> {
  // Not async: nothing to do after the route, so no promise of its own per request.
  return (c, next) => {
    const incoming = readHeader(c, 'x-request-id')
    const id = incoming && SANE_ID.test(incoming) ? incoming : randomUUID()
    c.set('requestId', id)
    // Under @hono/node-server, put it on Node's response: a Hono header would make every
    // response carry a Headers object, which is slower to write out. Trellis' own response
    // class writes it with the route's headers (see TrellisResponse); another one gets it set.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
    if (outgoing instanceof TrellisResponse) outgoing.requestId = id
    else if (outgoing?.setHeader) outgoing.setHeader('x-request-id', id)
    else c.header('x-request-id', id)
    return next()
  }
}
