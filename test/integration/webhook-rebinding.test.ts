import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeliveryError } from '../../runtime/alerts/channels'
import { httpPost, postThroughNode } from '../../runtime/alerts/channels/http-post'
import type { Resolver } from '../../runtime/alerts/channels/private-targets'
import { startReceiver } from './channels-fixture'

let receiver: Awaited<ReturnType<typeof startReceiver>>
beforeAll(async () => {
  receiver = await startReceiver([
    { status: 202, body: 'queued' },
    { status: 500, body: 'down' },
  ])
})
afterAll(() => receiver.close())

const v4 = (address: string): LookupAddress => ({ address, family: 4 })
const port = () => new URL(receiver.url).port

describe('a webhook to a name is checked on the address it connects to', () => {
  it('refuses a name that answers public to the check and private to the connection', async () => {
    let asked = 0
    // DNS rebinding: the first answer passes the check, the next points inside.
    const rebinding: Resolver = (_host, done) =>
      done(null, [v4(asked++ === 0 ? '93.184.216.34' : '127.0.0.1')])
    const before = receiver.received.length
    const refused = await httpPost({
      url: `http://hooks.example.test:${port()}/deals`,
      body: '{}',
      contentType: 'application/json',
      channel: 'webhook',
      publicOnly: true,
      resolve: rebinding,
    }).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(DeliveryError)
    expect((refused as DeliveryError).retryable).toBe(false)
    expect((refused as Error).message).toMatch(/127\.0\.0\.1 is a private.*hooks\.example\.test/)
    expect(asked).toBe(2) // checked before connecting, and again by the connection itself
    expect(receiver.received.length).toBe(before)
  })

  it('sends through the checked connection and reads the answer, an error status included', async () => {
    // A name the connection resolves to the receiver (the check itself is the test above).
    const toReceiver: LookupFunction = (_host, options, callback) =>
      options.all
        ? (callback as (e: null, a: LookupAddress[]) => void)(null, [v4('127.0.0.1')])
        : callback(null, '127.0.0.1', 4)
    const post = (body: string) =>
      postThroughNode(
        {
          url: `http://receiver.example.test:${port()}/hook?x=1`,
          body,
          contentType: 'application/json',
          headers: { 'x-signature': 'abc' },
          channel: 'webhook',
        },
        toReceiver,
      )
    expect(await post('{"n":1}')).toEqual({ status: 202, text: 'queued' })
    expect(await post('{"n":2}')).toEqual({ status: 500, text: 'down' })
    const last = receiver.received.at(-1)!
    expect(last.url).toBe('/hook?x=1')
    expect(last.headers['x-signature']).toBe('abc')
    expect(last.headers.host).toBe(`receiver.example.test:${port()}`)
    expect(last.body).toBe('{"n":2}')
  })
})
