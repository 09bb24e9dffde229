import type { Context } from 'hono'
import { BadRequestError } from '../../runtime/errors'
import type { VersionWords } from '../../runtime/records'
import { readHeader } from './read-header'

const IF_MATCH = /^(?:W\/)?"?([0-9]{1,9})"?$/

/**
 * The record version a write expects: `If-Match: "3"` (or `3`), else the body's `version`; 400
 * in the caller's language (`w`, the record's version words) when malformed or they disagree.
 * @example expectedVersion(c, versionWords(ctx, 'quote'), body) // 3
 */
export function expectedVersion(
  c: Context,
  w: VersionWords,
  body?: Record<string, unknown>,
): number | undefined {
  const header = readHeader(c, 'if-match') ?? null
  let fromHeader: number | undefined
  if (header !== null) {
    const match = IF_MATCH.exec(header.trim())
    if (!match) {
      throw new BadRequestError(w('ifMatchInvalid'), [
        { path: 'If-Match', message: w('ifMatchInvalidField') },
      ])
    }
    fromHeader = Number(match[1])
  }
  const fromBody = body?.version
  if (fromBody === undefined || fromBody === null) return fromHeader
  if (typeof fromBody !== 'number' || !Number.isInteger(fromBody) || fromBody < 0) {
    throw new BadRequestError(w('versionNotInteger'), [
      { path: 'version', message: w('versionNotIntegerField') },
    ])
  }
  if (fromHeader !== undefined && fromHeader !== fromBody) {
    const sent = { body: String(fromBody), header: String(fromHeader) }
    throw new BadRequestError(w('versionsDisagree'), [
      { path: 'version', message: w('versionsDisagreeField', sent) },
    ])
  }
  return fromBody
}

/** The ETag of a record version. */
export function toEtag(version: unknown): string | undefined {
  return typeof version === 'number' ? `"${version}"` : undefined
}
