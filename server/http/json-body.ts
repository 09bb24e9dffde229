import type { Context } from 'hono'
import { BadRequestError, UnsupportedMediaTypeError } from '../../runtime/errors'
import { readHeader } from './read-header'

// application/json, or a JSON dialect such as application/merge-patch+json, with any parameters.
export const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i

/**
 * A JSON object body, parsed; 415 naming `content-type` when a body is sent as anything but JSON
 * (a plain HTML form from another site can send text/plain, never application/json), 400 naming
 * `body` when it is missing, malformed or not an object.
 */
export async function readJsonObject(
  c: Context,
  options: { optional?: boolean } = {},
): Promise<Record<string, unknown>> {
  const type = readHeader(c, 'content-type')
  const text = await c.req.text()
  // An empty body was not sent as anything: it is missing (400), not of the wrong type.
  if (text.length && !JSON_MEDIA_TYPE.test(type ?? '')) {
    throw new UnsupportedMediaTypeError('The body must be sent as application/json', [
      { path: 'content-type', message: `must be application/json, not ${type ?? 'missing'}` },
    ])
  }
  if (!text.trim()) {
    if (options.optional) return {}
    throw new BadRequestError('A JSON object body is required', [
      { path: 'body', message: 'missing' },
    ])
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BadRequestError('The body is not valid JSON', [
      { path: 'body', message: (err as Error).message },
    ])
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError('The body must be a JSON object', [
      { path: 'body', message: 'must be a JSON object' },
    ])
  }
  return value as Record<string, unknown>
}
