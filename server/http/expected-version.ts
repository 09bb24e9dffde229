import type { Context } from 'hono'
import { BadRequestError } from '../../runtime/errors'
import { readHeader } from './read-header'

const IF_MATCH = /^(?:W\/)?"?([0-9]{1,9})"?$/

/** The record version a write expects: `If-Match: "3"` (or `3`), else the body's `version`. */
export function expectedVersion(c: Context, body?: Record<string, unknown>): number | undefined {
  const header = readHeader(c, 'if-match') ?? null
  let fromHeader: number | undefined
  if (header !== null) {
    const match = IF_MATCH.exec(header.trim())
    if (!match) {
      throw new BadRequestError('If-Match must be a record version such as "3"', [
        { path: 'If-Match', message: 'not an integer version' },
      ])
    }
    fromHeader = Number(match[1])
  }
  const fromBody = body?.version
  if (fromBody === undefined || fromBody === null) return fromHeader
  if (typeof fromBody !== 'number' || !Number.isInteger(fromBody) || fromBody < 0) {
    throw new BadRequestError('version must be an integer', [
      { path: 'version', message: 'must be an integer' },
    ])
  }
  if (fromHeader !== undefined && fromHeader !== fromBody) {
    throw new BadRequestError('If-Match and body version disagree', [
      { path: 'version', message: `body says ${fromBody}, If-Match says ${fromHeader}` },
    ])
  }
  return fromBody
}

/** The ETag of a record version. */
export function toEtag(version: unknown): string | undefined {
  return typeof version === 'number' ? `"${version}"` : undefined
}
