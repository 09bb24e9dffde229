import type { Logger } from '../context'
import { ServiceUnavailableError } from '../errors'
import { signV4, toSha256Hex, type SigningKey } from './sign-v4'

/** Where an S3-compatible store keeps files, and the keys it signs with. */
export interface S3Settings {
  /** `http://127.0.0.1:9000`, `https://<account>.r2.cloudflarestorage.com`…; unset: AWS. */
  endpoint?: string
  bucket: string
  region: string
  accessKeyId: string
  secretAccessKey: string
  /** Put before every object key (`trellis/`); empty: keys at the bucket's root. */
  prefix: string
  /** The bucket in the path (`endpoint/bucket/key`: MinIO, Ceph, R2) or in the host name (AWS). */
  pathStyle: boolean
}

/** One request to the bucket: `key` is the storage key (the prefix is added here). */
export interface S3Request {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  key: string
  /** Query string without `?`: `uploads`, `partNumber=1&uploadId=…`. */
  query?: string
  body?: Uint8Array
}

/** An S3 error answer: the HTTP status and the `<Code>` and `<Message>` of its XML body. */
export interface S3Failure {
  status: number
  code: string
  message: string
}

/** The text of one XML element (first match, entities decoded), or undefined. */
export function readXmlTag(xml: string, tag: string): string | undefined {
  const found = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]
  return found
    ?.replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The code and message of an error answer (its body is read). */
export async function readFailure(res: Response): Promise<S3Failure> {
  const xml = await res.text().catch(() => '')
  return {
    status: res.status,
    code: readXmlTag(xml, 'Code') ?? `HTTP ${res.status}`,
    message: readXmlTag(xml, 'Message') ?? res.statusText,
  }
}

/**
 * The URL of `key` in the bucket: `endpoint/bucket/prefix+key` path-style, else
 * `bucket.host/prefix+key`; AWS's regional endpoint when none is set.
 * @example buildObjectUrl(settings, key) // http://minio:9000/trellis/acme/ab12…
 */
export function buildObjectUrl(settings: S3Settings, key: string, query = ''): URL {
  const url = new URL(settings.endpoint ?? `https://s3.${settings.region}.amazonaws.com`)
  const root = url.pathname.replace(/\/+$/, '')
  if (settings.pathStyle) url.pathname = `${root}/${settings.bucket}/${settings.prefix}${key}`
  else {
    url.host = `${settings.bucket}.${url.host}`
    url.pathname = `${root}/${settings.prefix}${key}`
  }
  url.search = query
  return url
}

/** The setting an S3 error code points at, by the name the operator sets it under. */
const SETTING_OF_CODE: Record<string, string> = {
  InvalidAccessKeyId: 'TRELLIS_S3_ACCESS_KEY_ID',
  SignatureDoesNotMatch: 'TRELLIS_S3_SECRET_ACCESS_KEY',
  NoSuchBucket: 'TRELLIS_S3_BUCKET',
  AuthorizationHeaderMalformed: 'TRELLIS_S3_REGION',
  PermanentRedirect: 'TRELLIS_S3_ENDPOINT',
}

/**
 * The setting to check for a refusal (`SignatureDoesNotMatch`: the secret), or undefined when the
 * code names none (`AccessDenied`: the key's rights, set in the store itself).
 * @example settingOfFailure('InvalidAccessKeyId') // 'TRELLIS_S3_ACCESS_KEY_ID'
 */
export function settingOfFailure(code: string): string | undefined {
  return Object.hasOwn(SETTING_OF_CODE, code) ? SETTING_OF_CODE[code] : undefined
}

/**
 * Sends signed requests to one bucket. Every answer comes back as it is; only a request that
 * never got one (no route, refused connection) throws, as the operator's problem.
 */
export function createS3Client(settings: S3Settings, log: Logger) {
  const signingKey: SigningKey = { ...settings, service: 's3' }
  const where = { endpoint: buildObjectUrl(settings, '').origin, bucket: settings.bucket }

  /**
   * Logs why the store said no (for the operator: settings, credentials, bucket) and answers the
   * 503 a caller sees, which names no setting and holds no stack.
   */
  const refused = (request: S3Request, failure: S3Failure): ServiceUnavailableError => {
    const theirs = failure.status === 0 || failure.status >= 500
    const setting = theirs ? undefined : settingOfFailure(failure.code)
    log.error(
      {
        fileStore: 's3',
        ...where,
        method: request.method,
        query: request.query,
        ...failure,
        ...(setting ? { setting } : {}),
      },
      theirs
        ? `the file storage failed a request (${failure.code}): files answer 503 until it is back`
        : `the file storage refused a request (${failure.code}): check ${setting ?? 'the TRELLIS_S3_* settings'}`,
    )
    return new ServiceUnavailableError('File storage is not available right now', [
      { path: 'file', message: 'the server could not use its file storage; its log says why' },
    ])
  }

  /** Signs and sends `request`; answers the response, whatever its status. */
  const send = async (request: S3Request): Promise<Response> => {
    const url = buildObjectUrl(settings, request.key, request.query)
    const payloadHash = toSha256Hex(request.body ?? '')
    const signable = { url, headers: { 'x-amz-content-sha256': payloadHash }, payloadHash }
    const headers = signV4({ method: request.method, ...signable }, signingKey)
    try {
      // A redirect (another region's endpoint) is a setting to fix, not a request to repeat.
      const init = {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual' as const,
      }
      return await fetch(url, init)
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
      const message = cause?.code ?? cause?.message ?? String(err)
      throw refused(request, { status: 0, code: 'unreachable', message })
    }
  }

  return { send, refused }
}

export type S3Client = ReturnType<typeof createS3Client>
