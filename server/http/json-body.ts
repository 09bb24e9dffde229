import type { Context } from 'hono'
import { BadRequestError } from '../../runtime/errors'

/** A JSON object body, parsed; 400 naming `body` when it is missing, malformed or not an object. */
export async function readJsonObject(
  c: Context,
  options: { optional?: boolean } = {},
): Promise<Record<string, unknown>> {
  const text = await c.req.text()
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
