import { createHmac } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DeliveryError, sendWebhook, verifyWebhookSignature } from '../../runtime/alerts/channels'
import { ValidationError } from '../../runtime/errors'
import { startReceiver, type Received } from './channels-fixture'

const secret = 'whsec_0123456789abcdef'

// The receivers listen on loopback, which webhooks and bots may reach only when allowed.
const allowPrivate = process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE
beforeAll(() => {
  process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE = 'true'
})
afterAll(() => {
  if (allowPrivate === undefined) delete process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE
  else process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE = allowPrivate
})
let receivers: Awaited<ReturnType<typeof startReceiver>>[] = []
const receiver = async (...script: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...script)
  receivers.push(r)
  return r
}
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()))
  receivers = []
})

/** What a receiver does with a call: verify it as README tells subscribers to. */
const verify = (call: Received, body = call.body) =>
  verifyWebhookSignature({
    secret,
    body,
    timestamp: call.headers['x-trellis-timestamp'] as string,
    signature: call.headers['x-trellis-signature'] as string,
  })

describe('sendWebhook to a real HTTP receiver', () => {
  it('posts the JSON body with event, delivery id, timestamp and a signature that verifies', async () => {
    const r = await receiver()
    const body = {
      alert: 'order-created',
      record: { id: 'a1', total: { amount: 1200000, currency: 'KRW' }, name: '서울상사' },
    }
    const answer = await sendWebhook({
      url: `${r.url}/hooks/orders`,
      secret,
      event: 'alert.order-created',
      body,
      id: 'job-42',
    })
    expect(answer.status).toBe(200)
    const [call] = r.received
    expect([call.method, call.url]).toEqual(['POST', '/hooks/orders'])
    expect(call.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(call.headers['x-trellis-event']).toBe('alert.order-created')
    expect(call.headers['x-trellis-delivery']).toBe('job-42')
    expect(JSON.parse(call.body)).toEqual(body)
    const timestamp = Number(call.headers['x-trellis-timestamp'])
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5)
    // Recomputed here from the documented recipe, independently of signWebhookBody.
    const expected = createHmac('sha256', secret).update(`${timestamp}.${call.body}`).digest('hex')
    expect(call.headers['x-trellis-signature']).toBe(`v1=${expected}`)
    expect(verify(call)).toBe(true)
  })

  it('fails verification for a tampered body, another secret, or a stale timestamp', async () => {
    const r = await receiver()
    await sendWebhook({ url: r.url, secret, event: 'alert.x', body: { amount: 100 } })
    const [call] = r.received
    expect(verify(call, call.body.replace('100', '900'))).toBe(false)
    expect(
      verifyWebhookSignature({
        ...headersOf(call),
        secret: 'another-secret-value',
        body: call.body,
      }),
    ).toBe(false)
    const later = new Date(Date.now() + 301_000)
    expect(
      verifyWebhookSignature({ ...headersOf(call), secret, body: call.body, now: later }),
    ).toBe(false)
    expect(
      verifyWebhookSignature({
        ...headersOf(call),
        secret,
        body: call.body,
        now: later,
        toleranceSeconds: 600,
      }),
    ).toBe(true)
    expect(
      verifyWebhookSignature({ ...headersOf(call), secret, body: call.body, signature: undefined }),
    ).toBe(false)
  })

  it('throws on a 500 so the queue retries, and the second call reaches the receiver', async () => {
    const r = await receiver([{ status: 500, body: '{"error":"busy"}' }])
    const call = { url: `${r.url}/h`, secret, event: 'alert.retry', body: { n: 1 }, id: 'job-7' }
    const first = sendWebhook(call)
    await expect(first).rejects.toBeInstanceOf(DeliveryError)
    await expect(first).rejects.toMatchObject({ status: 500, retryable: true, channel: 'webhook' })
    await expect(first).rejects.toThrow(/answered 500: \{"error":"busy"\}/)
    await expect(sendWebhook(call)).resolves.toEqual({ status: 200 })
    expect(r.received).toHaveLength(2)
    expect(r.received.map((c) => c.headers['x-trellis-delivery'])).toEqual(['job-7', 'job-7'])
    expect(r.received.every((c) => verify(c))).toBe(true)
  })

  it('throws on other non-2xx answers, and a 4xx is not worth retrying', async () => {
    const r = await receiver([{ status: 404 }, { status: 302 }, { status: 429 }])
    const call = { url: r.url, secret, event: 'alert.x', body: {} }
    await expect(sendWebhook(call)).rejects.toMatchObject({ status: 404, retryable: false })
    await expect(sendWebhook(call)).rejects.toMatchObject({ status: 302 })
    await expect(sendWebhook(call)).rejects.toMatchObject({ status: 429, retryable: true })
  })

  it('gives up after the time-out with a clear error', async () => {
    const r = await receiver([{ status: 200, delayMs: 2000 }])
    const started = Date.now()
    const attempt = sendWebhook({
      url: r.url,
      secret,
      event: 'alert.slow',
      body: {},
      timeoutMs: 300,
    })
    await expect(attempt).rejects.toThrow(/webhook to http:\/\/127\.0\.0\.1:\d+ timed out/)
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('throws a DeliveryError when nothing listens', async () => {
    const r = await receiver()
    await r.close()
    receivers = []
    const attempt = sendWebhook({ url: r.url, secret, event: 'alert.x', body: {} })
    await expect(attempt).rejects.toBeInstanceOf(DeliveryError)
    await expect(attempt).rejects.toThrow(/failed \(ECONNREFUSED\)/)
  })

  it('refuses a bad URL, a short secret, a bad event name or a huge body before sending', async () => {
    const r = await receiver()
    const good = { url: r.url, secret, event: 'alert.x', body: {} }
    const paths = async (call: Parameters<typeof sendWebhook>[0]) =>
      sendWebhook(call).then(
        () => 'sent',
        (e: ValidationError) => e.details[0].path,
      )
    expect(await paths({ ...good, url: 'file:///etc/passwd' })).toBe('url')
    expect(await paths({ ...good, secret: 'short' })).toBe('secret')
    expect(await paths({ ...good, event: 'bad event\n' })).toBe('event')
    expect(await paths({ ...good, body: { blob: 'x'.repeat(1024 * 1024) } })).toBe('body')
    expect(r.received).toHaveLength(0)
  })
})

function headersOf(call: Received) {
  return {
    timestamp: call.headers['x-trellis-timestamp'] as string,
    signature: call.headers['x-trellis-signature'] as string,
  }
}
