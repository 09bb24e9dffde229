import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHttpSmsGateway,
  createInProcessSmsGateway,
  DeliveryError,
  isOptedOut,
  sendSms,
  type SmsGateway,
  type SmsMessage,
} from '../../runtime/alerts/channels'
import { ValidationError } from '../../runtime/errors'
import { startReceiver } from './channels-fixture'

/** A gateway and what its far end received. */
interface GatewayUnderTest {
  gateway: SmsGateway
  received(): SmsMessage[]
  close(): Promise<void>
}

const implementations: [string, () => Promise<GatewayUnderTest>][] = [
  [
    'in-process',
    async () => {
      const gateway = createInProcessSmsGateway()
      return { gateway, received: () => gateway.sent, close: async () => {} }
    },
  ],
  [
    'http',
    async () => {
      const r = await startReceiver()
      const gateway = createHttpSmsGateway({ url: `${r.url}/sms`, token: 'gw-token' })
      return {
        gateway,
        received: () =>
          r.received.map((call) => {
            expect(call.headers.authorization).toBe('Bearer gw-token')
            return JSON.parse(call.body) as SmsMessage
          }),
        close: r.close,
      }
    },
  ],
]

describe.each(implementations)('SmsGateway (%s)', (_name, open) => {
  let under: GatewayUnderTest
  beforeAll(async () => {
    under = await open()
  })
  afterAll(() => under.close())

  it('sends the number in its normal form and the text as written', async () => {
    const result = await sendSms(under.gateway, {
      to: '+82 10-1234-5678',
      text: '생일 축하드립니다! 🎂',
    })
    expect(result.status).toBe('sent')
    expect(under.received().at(-1)).toEqual({ to: '+821012345678', text: '생일 축하드립니다! 🎂' })
  })

  it('skips a number that opted out, by flag or by check', async () => {
    const before = under.received().length
    const optOuts = ['+86 138 0013 8000']
    const byFlag = await sendSms(
      under.gateway,
      { to: '+8613800138000', text: '生日快乐' },
      { optedOut: true },
    )
    const byCheck = await sendSms(
      under.gateway,
      { to: '+86-138-0013-8000', text: '生日快乐' },
      { optedOut: (phone) => isOptedOut(phone, optOuts) },
    )
    const other = await sendSms(
      under.gateway,
      { to: '+8613900139000', text: '生日快乐' },
      { optedOut: async (phone) => isOptedOut(phone, optOuts) },
    )
    expect([byFlag.status, byCheck.status, other.status]).toEqual(['skipped', 'skipped', 'sent'])
    expect(under.received().slice(before)).toEqual([{ to: '+8613900139000', text: '生日快乐' }])
  })

  it('refuses a bad number or empty text naming the field, and sends nothing', async () => {
    const before = under.received().length
    const attempt = sendSms(under.gateway, { to: 'call me', text: '  ' })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    expect(await attempt.catch((e: ValidationError) => e.details.map((d) => d.path))).toEqual([
      'to',
      'text',
    ])
    await expect(
      sendSms(under.gateway, { to: '+821012345678', text: 'x'.repeat(1001) }),
    ).rejects.toThrow(ValidationError)
    expect(under.received()).toHaveLength(before)
  })
})

describe('HTTP SMS gateway', () => {
  it('passes back the id the gateway answers', async () => {
    const r = await startReceiver([{ status: 202, body: '{"id":"msg-981"}' }])
    const gateway = createHttpSmsGateway({ url: r.url, token: 't' })
    await expect(gateway.send({ to: '01012345678', text: 'hi' })).resolves.toEqual({
      id: 'msg-981',
    })
    await r.close()
  })

  it('sends the two fields as a form when told to', async () => {
    const r = await startReceiver()
    const gateway = createHttpSmsGateway({ url: r.url, token: 'form-token', format: 'form' })
    await gateway.send({ to: '+821012345678', text: '안녕 & bye' })
    const [call] = r.received
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(call.headers.authorization).toBe('Bearer form-token')
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({
      to: '+821012345678',
      text: '안녕 & bye',
    })
    await r.close()
  })

  it('throws a DeliveryError when the gateway answers 500, without leaking its path', async () => {
    const r = await startReceiver([{ status: 503, body: 'carrier down' }])
    const gateway = createHttpSmsGateway({ url: `${r.url}/secret-path`, token: 't' })
    const attempt = gateway.send({ to: '+821012345678', text: 'x' })
    await expect(attempt).rejects.toBeInstanceOf(DeliveryError)
    await expect(attempt).rejects.toMatchObject({ channel: 'sms', status: 503, retryable: true })
    await expect(attempt).rejects.not.toThrow(/secret-path/)
    await r.close()
  })

  it('refuses a gateway without an http URL or a token', () => {
    expect(() => createHttpSmsGateway({ url: 'ftp://x', token: 't' })).toThrow(ValidationError)
    expect(() => createHttpSmsGateway({ url: 'http://127.0.0.1:9', token: '' })).toThrow(/token/)
  })
})
