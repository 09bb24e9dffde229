import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { ValidationError } from '../../errors'
import { DeliveryError } from './delivery-error'
import { assertPublicTarget, publicOnlyLookup, type Resolver } from './private-targets'

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
  /** How `publicOnly` sends resolve names, before and as they connect (default the system's). */
  resolve?: Resolver
}

/**
 * Sends one POST and answers the receiver's status and text. Redirects are not followed (a
 * signed body must not wander elsewhere). Throws `DeliveryError` on a network error, a time-out
 * or an answer outside 2xx, and (with `publicOnly`) a not-retryable one for a private host.
 */
export async function httpPost(post: HttpPost): Promise<HttpAnswer> {
  const where = new URL(post.url).origin
  let answer: HttpAnswer
  try {
    if (post.publicOnly) {
      // Checked before connecting (literal addresses), and again by the look-up the connection
      // itself makes, so a name cannot answer public here and private there.
      await assertPublicTarget(post.url, post.channel, post.resolve)
      answer = await postThroughNode(post, publicOnlyLookup(where, post.channel, post.resolve))
    } else {
      answer = await postThroughFetch(post)
    }
  } catch (error) {
    if (error instanceof DeliveryError) throw error
    const cause = error as Error
    const why = cause.name === 'TimeoutError' ? 'timed out' : `failed (${causeOf(cause)})`
    throw new DeliveryError(`${post.channel} to ${where} ${why}`, post.channel)
  }
  if (answer.status < 200 || answer.status > 299) {
    const said = answer.text ? `: ${answer.text.slice(0, 200)}` : ''
    throw new DeliveryError(
      `${post.channel} to ${where} answered ${answer.status}${said}`,
      post.channel,
      answer.status,
    )
  }
  return answer
}

function headersOf(post: HttpPost): Record<string, string> {
  return { 'content-type': post.contentType, 'user-agent': 'Trellis', ...post.headers }
}

async function postThroughFetch(post: HttpPost): Promise<HttpAnswer> {
  const response = await fetch(post.url, {
    method: 'POST',
    body: post.body,
    headers: headersOf(post),
    redirect: 'manual',
    signal: AbortSignal.timeout(post.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  })
  return { status: response.status, text: await readCapped(response) }
}

/** The same POST through Node's http(s), whose connection resolves the name with `lookup` (exported for tests). */
export function postThroughNode(post: HttpPost, lookup: LookupFunction): Promise<HttpAnswer> {
  const url = new URL(post.url)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  const body = Buffer.from(post.body)
  return new Promise<HttpAnswer>((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headersOf(post), 'content-length': String(body.length) },
        lookup, // every address it hands the connection has been checked
      },
      (response) => void readNodeAnswer(response).then(resolve, reject),
    )
    const timer = setTimeout(() => {
      const timeout = new Error('timed out')
      timeout.name = 'TimeoutError'
      request.destroy(timeout)
    }, post.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    request.on('close', () => clearTimeout(timer))
    request.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    request.end(body)
  })
}

async function readNodeAnswer(response: IncomingMessage): Promise<HttpAnswer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    if (size >= MAX_ANSWER_BYTES) {
      response.destroy()
      break
    }
  }
  const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES)
  return { status: response.statusCode ?? 0, text }
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
