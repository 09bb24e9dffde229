import { describe, expect, it } from 'vitest'
import { signWebhookBody, verifyWebhookSignature } from './webhook'

const secret = 'whsec_unit_0123456789'
const body = '{"id":"r1","name":"华东贸易"}'
const now = new Date('2025-03-01T00:00:00Z')
const timestamp = String(now.getTime() / 1000)
const signature = `v1=${signWebhookBody(secret, timestamp, body)}`
const check = { secret, body, timestamp, signature, now }

describe('verifyWebhookSignature', () => {
  it('accepts the body as signed, given as text or bytes', () => {
    expect(verifyWebhookSignature(check)).toBe(true)
    expect(verifyWebhookSignature({ ...check, body: Buffer.from(body) })).toBe(true)
  })

  it('refuses a changed body, timestamp or secret', () => {
    expect(verifyWebhookSignature({ ...check, body: body.replace('r1', 'r2') })).toBe(false)
    expect(verifyWebhookSignature({ ...check, timestamp: String(Number(timestamp) + 1) })).toBe(
      false,
    )
    expect(verifyWebhookSignature({ ...check, secret: `${secret}x` })).toBe(false)
  })

  it('refuses a timestamp outside the tolerance either way', () => {
    const off = (seconds: number) => new Date(now.getTime() + seconds * 1000)
    expect(verifyWebhookSignature({ ...check, now: off(300) })).toBe(true)
    expect(verifyWebhookSignature({ ...check, now: off(301) })).toBe(false)
    expect(verifyWebhookSignature({ ...check, now: off(-301) })).toBe(false)
  })

  it('accepts any one matching v1 value in a list (secret rotation)', () => {
    const other = `v1=${signWebhookBody('old-secret-000000000', timestamp, body)}`
    expect(verifyWebhookSignature({ ...check, signature: `${other}, ${signature}` })).toBe(true)
    expect(verifyWebhookSignature({ ...check, signature: other })).toBe(false)
  })

  it('refuses malformed headers without throwing', () => {
    for (const bad of [
      '',
      'v1=',
      'v1=zz',
      'v2=' + signature.slice(3),
      signature.slice(3),
      'v1=abc,,',
    ]) {
      expect(verifyWebhookSignature({ ...check, signature: bad }), bad).toBe(false)
    }
    expect(verifyWebhookSignature({ ...check, timestamp: '1e9' })).toBe(false)
    expect(verifyWebhookSignature({ ...check, timestamp: null })).toBe(false)
  })
})
