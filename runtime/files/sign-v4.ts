import { createHash, createHmac } from 'node:crypto'

/** Who signs, and for which region and service (`s3` for object storage). */
export interface SigningKey {
  accessKeyId: string
  secretAccessKey: string
  region: string
  service: string
}

/** A request as it will be sent: `headers` are signed along with `host` and `x-amz-date`. */
export interface SignableRequest {
  method: string
  url: URL
  headers: Record<string, string>
  /** Hex SHA-256 of the body (`UNSIGNED-PAYLOAD` where the service allows it). */
  payloadHash: string
}

/** Hex SHA-256 of `bytes`: the payload hash of a body, or of an empty one. */
export function toSha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** RFC 3986 percent-encoding: everything but letters, digits and `-._~`. */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** The path as S3 signs it: each segment encoded once (S3 does not normalize or re-encode). */
function toCanonicalPath(url: URL): string {
  return url.pathname
    .split('/')
    .map((segment) => encodeStrict(decodeURIComponent(segment)))
    .join('/')
}

function toCanonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => [encodeStrict(name), encodeStrict(value)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}

const hmac = (key: Uint8Array | string, text: string) =>
  createHmac('sha256', key).update(text).digest()

/** `20130524T000000Z`: the instant in the basic ISO form SigV4 uses. */
function toAmzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/**
 * Signs a request with AWS Signature Version 4 and answers the headers to send: the given ones
 * plus `x-amz-date` and `authorization` (`host` is signed from the URL; fetch sends it).
 * @example
 * const headers = signV4({ method: 'GET', url, headers: { 'x-amz-content-sha256': hash },
 *   payloadHash: hash }, { accessKeyId, secretAccessKey, region: 'us-east-1', service: 's3' })
 */
export function signV4(
  request: SignableRequest,
  key: SigningKey,
  now = new Date(),
): Record<string, string> {
  const amzDate = toAmzDate(now)
  const day = amzDate.slice(0, 8)
  const signed = new Map<string, string>([
    ['host', request.url.host],
    ['x-amz-date', amzDate],
  ])
  for (const [name, value] of Object.entries(request.headers))
    signed.set(name.toLowerCase(), value.trim().replace(/\s+/g, ' '))
  const names = [...signed.keys()].sort()
  const signedHeaders = names.join(';')
  const canonicalRequest = [
    request.method.toUpperCase(),
    toCanonicalPath(request.url),
    toCanonicalQuery(request.url),
    names.map((name) => `${name}:${signed.get(name)}\n`).join(''),
    signedHeaders,
    request.payloadHash,
  ].join('\n')
  const scope = `${day}/${key.region}/${key.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, toSha256Hex(canonicalRequest)].join(
    '\n',
  )
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, day)
  for (const part of [key.region, key.service, 'aws4_request']) signingKey = hmac(signingKey, part)
  const signature = hmac(signingKey, stringToSign).toString('hex')
  return {
    ...request.headers,
    'x-amz-date': amzDate,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  }
}
