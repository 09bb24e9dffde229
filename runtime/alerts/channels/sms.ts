import { ValidationError, type Issue } from '../../errors'
import { assertHttpUrl, httpPost } from './http-post'

/**
 * SMS through a gateway port. The HTTP adapter speaks the simplest shape a gateway or a small
 * relay in front of a carrier's API accepts:
 *
 *     POST <SMS_GATEWAY_URL>
 *     Authorization: Bearer <SMS_GATEWAY_TOKEN>
 *     Content-Type: application/json
 *     { "to": "+8613800138000", "text": "…" }
 *
 * (`format: 'form'` sends the same two fields as `application/x-www-form-urlencoded`). Any 2xx
 * answer counts as accepted; a JSON answer's `id` (or `messageId`) is passed back.
 */

/** One text message. */
export interface SmsMessage {
  /** A phone number, preferably international (`+82 10-1234-5678`). */
  to: string
  text: string
}

/** Sends text messages. */
export interface SmsGateway {
  readonly kind: 'http' | 'in-process'
  /** Resolves once the gateway accepted the message; throws `DeliveryError` when it did not. */
  send(message: SmsMessage): Promise<{ id?: string }>
}

/** The in-process gateway: what it sent, to read in tests and on the embedded default. */
export interface InProcessSmsGateway extends SmsGateway {
  readonly sent: SmsMessage[]
}

/** Longest message accepted (characters; a gateway splits it into parts). */
export const MAX_SMS_TEXT = 1000

/** How the HTTP adapter reaches its gateway. */
export interface HttpSmsGatewayOptions {
  url: string
  token: string
  format?: 'json' | 'form'
  timeoutMs?: number
}

/**
 * The HTTP adapter for a generic SMS gateway (see the shape above).
 * @example const sms = createHttpSmsGateway({ url: config.smsGatewayUrl, token: config.smsGatewayToken })
 */
export function createHttpSmsGateway(options: HttpSmsGatewayOptions): SmsGateway {
  assertHttpUrl(options.url, 'url')
  if (!options.token) {
    throw new ValidationError('No SMS gateway token', [{ path: 'token', message: 'is required' }])
  }
  const format = options.format ?? 'json'
  return {
    kind: 'http',
    async send(message) {
      const sms = toSmsMessage(message)
      const body =
        format === 'form' ? new URLSearchParams({ ...sms }).toString() : JSON.stringify(sms)
      const answer = await httpPost({
        url: options.url,
        body,
        contentType:
          format === 'form'
            ? 'application/x-www-form-urlencoded'
            : 'application/json; charset=utf-8',
        headers: { authorization: `Bearer ${options.token}` },
        timeoutMs: options.timeoutMs,
        channel: 'sms',
      })
      return { id: answerId(answer.text) }
    },
  }
}

/** A gateway that keeps messages in memory (unit tests; the embedded default without a gateway). */
export function createInProcessSmsGateway(): InProcessSmsGateway {
  const sent: SmsMessage[] = []
  return {
    kind: 'in-process',
    sent,
    async send(message) {
      sent.push(toSmsMessage(message))
      return { id: String(sent.length) }
    },
  }
}

/** The caller's answer to "has this number opted out?": a flag, or a check to run. */
export type OptOutCheck = boolean | ((phone: string) => boolean | Promise<boolean>)

/**
 * Sends one SMS unless the number opted out of messages (the caller knows, e.g. from the
 * contact's opt-out field, and passes the answer or a check). Resolves with what happened.
 * @example await sendSms(gateway, { to: contact.phone, text }, { optedOut: contact.smsOptOut })
 */
export async function sendSms(
  gateway: SmsGateway,
  message: SmsMessage,
  options: { optedOut?: OptOutCheck } = {},
): Promise<{ status: 'sent'; id?: string } | { status: 'skipped'; reason: 'opted-out' }> {
  const sms = toSmsMessage(message)
  const check = options.optedOut ?? false
  const optedOut = typeof check === 'function' ? await check(sms.to) : check
  if (optedOut) return { status: 'skipped', reason: 'opted-out' }
  const { id } = await gateway.send(sms)
  return { status: 'sent', id }
}

/**
 * A phone number in the one form numbers are compared and sent in: digits with a leading `+`
 * kept, spaces, dashes, dots and brackets dropped. Null when it is not a phone number.
 * @example normalizePhone('+82 (10) 1234-5678') // '+821012345678'
 */
export function normalizePhone(phone: unknown): string | null {
  if (typeof phone !== 'string') return null
  const compact = phone.trim().replace(/[\s\-.()]/g, '')
  return /^\+?\d{5,15}$/.test(compact) ? compact : null
}

/** Whether `phone` is on an opt-out list, comparing numbers in their normal form. */
export function isOptedOut(phone: string, optedOut: Iterable<string>): boolean {
  const wanted = normalizePhone(phone)
  if (!wanted) return false
  for (const entry of optedOut) if (normalizePhone(entry) === wanted) return true
  return false
}

function toSmsMessage(message: SmsMessage): SmsMessage {
  const issues: Issue[] = []
  const to = normalizePhone(message?.to)
  if (!to) issues.push({ path: 'to', message: 'is not a phone number' })
  const text = typeof message?.text === 'string' ? message.text.trim() : ''
  if (!text) issues.push({ path: 'text', message: 'is required' })
  if (text.length > MAX_SMS_TEXT)
    issues.push({ path: 'text', message: `is longer than ${MAX_SMS_TEXT}` })
  if (issues.length) throw new ValidationError('The SMS is not valid', issues)
  return { to: to as string, text }
}

function answerId(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { id?: unknown; messageId?: unknown }
    const id = parsed?.id ?? parsed?.messageId
    return id === undefined || id === null ? undefined : String(id)
  } catch {
    return undefined
  }
}
