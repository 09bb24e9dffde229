import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Logger } from 'pino'
import { TrellisError, type Issue } from '../../runtime/errors'
import type { AppEnv } from '../app-deps'

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details: Issue[] }
}

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

function answer(
  c: Context<AppEnv>,
  status: number,
  code: string,
  message: string,
  details: Issue[],
) {
  const body: ErrorBody = { error: { code, message, details } }
  return c.json(body, status as 400)
}

/**
 * The one place errors become responses: TrellisError → its status and code; hono's
 * HTTPException → its status; anything else is logged with the request id and answered 500.
 */
export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof TrellisError) {
      if (err.status >= 500) log.error({ err, requestId: c.get('requestId') }, err.message)
      const extra = Object.keys(err.extra).length ? err.extra : undefined
      if (typeof err.extra.retryAfter === 'number')
        c.header('Retry-After', String(err.extra.retryAfter))
      const body = {
        error: { code: err.code, message: err.message, details: err.details, ...extra },
      }
      return c.json(body, err.status as 400)
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = HTTP_CODES[err.status] ?? 'bad_request'
      return answer(c, err.status, code, err.message || code.replace(/_/g, ' '), [])
    }
    log.error({ err, requestId: c.get('requestId') }, 'unhandled error')
    return answer(c, 500, 'internal', 'Internal server error', [])
  }
}

/** Unknown routes answer in the same error format. */
export function notFoundHandler(): NotFoundHandler<AppEnv> {
  return (c) => answer(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`, [])
}
