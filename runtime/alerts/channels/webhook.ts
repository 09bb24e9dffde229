import { createHmac, timingSafeEqual } from 'node:crypto'
import { ValidationError } from '../../errors'
import { assertHttpUrl, httpPost } from './http-post'
import { allowsPrivateTargets } from './private-targets'

/**
 * Outgoing webhooks: a JSON body POSTed to the subscriber's URL, signed so the receiver can tell
 * it came from this Trellis and was not changed or replayed.
 *
 * Headers sent with every call:
 * - `X-Trellis-Event`: the event name, e.g. `alert.quote-expiring`
 * - `X-Trellis-Delivery`: the delivery id; a retry carries the same id, so receivers can drop
 *   a second copy
 * - `X-Trellis-Timestamp`: seconds since 1970 when this try was signed
 * - `X-Trellis-Signature`: `v1=` and the lowercase hex HMAC-SHA256, keyed with the shared
 *   secret, of the timestamp, a dot and the raw body bytes (`${timestamp}.${body}`)
 *
 * To verify, a receiver takes the raw body as received (before any JSON parsing), computes the
 * same HMAC with its copy of the secret, compares it with the header in constant time, and
 * refuses a timestamp more than a few minutes from its own clock (a captured call cannot be
 * replayed later). `verifyWebhookSignature` does exactly that.
 */

/** Largest body sent (characters of JSON). */
export const MAX_WEBHOOK_BODY = 1024 * 1024
/** How far a timestamp may be from the receiver's clock by default (seconds). */
export const DEFAULT_TOLERANCE_SECONDS = 300

/** One webhook call. */
export interface WebhookCall {
  url: string
  secret: string
  event: string
  body: unknown
  /** Delivery id, the same on every retry (the job's idempotency key fits). */
  id?: string
  timeoutMs?: number
  /** Signing time (tests); default now. */
  now?: Date
  /**
   * Whether a private, loopback or link-local receiver is allowed (default: the
   * `TRELLIS_WEBHOOK_ALLOW_PRIVATE` setting); refused, the call fails with a `DeliveryError`.
   */
  allowPrivate?: boolean
}

/**
 * Signs and POSTs `body` as JSON. Resolves with the receiver's status; throws `DeliveryError`
 * when it answers outside 2xx, cannot be reached or takes longer than the time-out — the job
 * queue then retries with backoff and dead-letters after its last try.
 * @example await sendWebhook({ url, secret, event: 'alert.order-created', body: { id }, id: key })
 */
export async function sendWebhook(call: WebhookCall): Promise<{ status: number }> {
  assertHttpUrl(call.url, 'url')
  if (typeof call.secret !== 'string' || call.secret.length < 16) {
    throw new ValidationError('The webhook secret is too short', [
      { path: 'secret', message: 'must be a string of at least 16 characters' },
    ])
  }
  if (typeof call.event !== 'string' || !/^[\w.:-]{1,200}$/.test(call.event)) {
    throw new ValidationError('Bad webhook event name', [
      {
        path: 'event',
        message: 'must be 1–200 letters, digits, dots, colons, dashes or underscores',
      },
    ])
  }
  const raw = JSON.stringify(call.body ?? null)
  if (raw.length > MAX_WEBHOOK_BODY) {
    throw new ValidationError('The webhook body is too large', [
      {
        path: 'body',
        message: `is ${raw.length} characters of JSON, more than ${MAX_WEBHOOK_BODY}`,
      },
    ])
  }
  const timestamp = String(Math.floor((call.now ?? new Date()).getTime() / 1000))
  const headers: Record<string, string> = {
    'x-trellis-event': call.event,
    'x-trellis-timestamp': timestamp,
    'x-trellis-signature': `v1=${signWebhookBody(call.secret, timestamp, raw)}`,
  }
  if (call.id) headers['x-trellis-delivery'] = call.id
  const answer = await httpPost({
    url: call.url,
    body: raw,
    contentType: 'application/json; charset=utf-8',
    headers,
    timeoutMs: call.timeoutMs,
    channel: 'webhook',
    publicOnly: !(call.allowPrivate ?? allowsPrivateTargets()),
  })
  return { status: answer.status }
}

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export function signWebhookBody(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')
}

/** What a receiver checks: the raw body and the two headers as it got them. */
export interface WebhookSignatureCheck {
  secret: string
  body: string | Buffer
  timestamp: string | null | undefined
  signature: string | null | undefined
  toleranceSeconds?: number
  /** The receiver's clock (tests); default now. */
  now?: Date
}

/**
 * Whether a received webhook is genuine: its signature matches the body and timestamp under the
 * secret, and the timestamp is within the tolerance of the receiver's clock. The header may list
 * several `v1=` values separated by commas (while a secret is being rotated); one match suffices.
 * @example
 * isGenuine = verifyWebhookSignature({ secret, body: rawBody,
 *   timestamp: req.headers['x-trellis-timestamp'], signature: req.headers['x-trellis-signature'] })
 */
export function verifyWebhookSignature(check: WebhookSignatureCheck): boolean {
  const { timestamp, signature } = check
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false
  const tolerance = check.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const nowSeconds = Math.floor((check.now ?? new Date()).getTime() / 1000)
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false
  const expected = Buffer.from(signWebhookBody(check.secret, timestamp, check.body), 'hex')
  return signature.split(',').some((part) => {
    const [version, hex] = part.trim().split('=')
    if (version !== 'v1' || !hex || !/^[0-9a-f]{64}$/.test(hex)) return false
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected)
  })
}
