import { ValidationError } from '../../errors'
import { DeliveryError } from './delivery-error'
import { assertPublicTarget } from './private-targets'

/** How long a receiver may take before the send counts as failed (ms). */
export const DEFAULT_TIMEOUT_MS = 10_000
/** Most of a receiver's answer read (for error messages and result codes). */
const MAX_ANSWER_BYTES = 64 * 1024

/** What a receiver answered. */
export interface HttpAnswer {
  status: number
  text: string
}

/** A POST of a prepared body to a receiver. */
export interface HttpPost {
  url: string
  body: string
  contentType: string
  headers?: Record<string, string>
  timeoutMs?: number
  /** Named in errors: 'webhook', 'sms', 'wecom', … */
  channel: string
  /**
   * Refuse (before connecting) a host that is or resolves to a private, loopback or link-local
   * address: URLs written by admins (webhooks, bots) must not reach into the server's network.
   */
  publicOnly?: boolean
}

/**
 * Sends one POST and answers the receiver's status and text. Redirects are not followed (a
 * signed body must not wander elsewhere). Throws `DeliveryError` on a network error, a time-out
 * or an answer outside 2xx, and (with `publicOnly`) a not-retryable one for a private host.
 */
export async function httpPost(post: HttpPost): Promise<HttpAnswer> {
  const where = new URL(post.url).origin
  if (post.publicOnly) await assertPublicTarget(post.url, post.channel)
  let response: Response
  try {
    response = await fetch(post.url, {
      method: 'POST',
      body: post.body,
      headers: { 'content-type': post.contentType, 'user-agent': 'Trellis', ...post.headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(post.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    })
  } catch (error) {
    const cause = error as Error
    const why = cause.name === 'TimeoutError' ? 'timed out' : `failed (${causeOf(cause)})`
    throw new DeliveryError(`${post.channel} to ${where} ${why}`, post.channel)
  }
  const text = await readCapped(response)
  if (response.status < 200 || response.status > 299) {
    const said = text ? `: ${text.slice(0, 200)}` : ''
    throw new DeliveryError(
      `${post.channel} to ${where} answered ${response.status}${said}`,
      post.channel,
      response.status,
    )
  }
  return { status: response.status, text }
}

/** Throws a `ValidationError` naming `path` unless `url` is an absolute http(s) URL. */
export function assertHttpUrl(url: unknown, path: string): asserts url is string {
  let parsed: URL | null = null
  try {
    parsed = typeof url === 'string' ? new URL(url) : null
  } catch {
    parsed = null
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ValidationError(`${path} is not an http(s) URL`, [
      { path, message: 'must be an absolute http:// or https:// URL' },
    ])
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? error.message
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel()
      break
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES)
}
