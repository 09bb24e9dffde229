import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'

/**
 * Node's response that writes the request id with the headers the route answers with. A header
 * set before `writeHead` sends Node down its slow merge of two header sets (about 10 µs per
 * request, a fifth of a cached read); added to the route's own header object it costs a key.
 * `serve({ serverOptions: { ServerResponse: TrellisResponse } })` makes Node use it.
 */
export class TrellisResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  /** Set by the request-id middleware; written as `x-request-id`. */
  requestId: string | undefined

  // Node's overloads (status, [message], [headers]) are matched at run time, as Node does.
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    const id = this.requestId
    if (id !== undefined) {
      // The object is the one made for this response (@hono/node-server adds Content-Length to
      // it too); a header array or no headers take the ordinary way.
      const last = rest.at(-1)
      if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
        ;(last as OutgoingHttpHeaders)['x-request-id'] = id
      } else if (!this.headersSent) {
        this.setHeader('x-request-id', id)
      }
    }
    return (super.writeHead as (code: number, ...args: unknown[]) => this)(statusCode, ...rest)
  }
}
