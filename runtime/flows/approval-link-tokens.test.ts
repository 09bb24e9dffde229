import { createHmac, createSecretKey, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { readApprovalLink, signApprovalLink, signApprovalLinks } from './approval-link-tokens'

const key = createSecretKey(randomBytes(32))
const claims = {
  instanceId: '01a25127-d9b3-7178-8851-6c05366e2121',
  taskKey: 't1',
  userId: '01a25113-e8b2-78e9-bd2b-19468766977c',
  recordVersion: 7,
  expiresAt: new Date('2026-12-14T10:00:00Z'),
}

/** A token as format 1 made them: the whole payload, action included, under one HMAC each. */
function perActionToken(action: 0 | 1): string {
  const payload = Buffer.from(signApprovalLinks(key, claims).approve, 'base64url').subarray(0, -16)
  payload.writeUInt8(1, 0)
  payload.writeUInt8(action, 1)
  const mac = createHmac('sha256', key).update(payload).digest().subarray(0, 16)
  return Buffer.concat([payload, mac]).toString('base64url')
}

describe('approval link tokens', () => {
  it('signs both actions of a task at once, each read back with its action', () => {
    const tokens = signApprovalLinks(key, claims)
    expect(tokens.approve).not.toBe(tokens.reject)
    expect(readApprovalLink(key, tokens.approve)).toEqual({ ...claims, action: 'approve' })
    expect(readApprovalLink(key, tokens.reject)).toEqual({ ...claims, action: 'reject' })
    expect(signApprovalLink(key, { ...claims, action: 'reject' })).toBe(tokens.reject)
  })

  it('refuses an approve token turned into a reject one, a cut MAC, another key and an unknown format', () => {
    const bytes = Buffer.from(signApprovalLinks(key, claims).approve, 'base64url')
    const flipped = Buffer.from(bytes)
    flipped.writeUInt8(1, 1)
    expect(readApprovalLink(key, flipped.toString('base64url'))).toBeNull()
    expect(readApprovalLink(key, bytes.subarray(0, -1).toString('base64url'))).toBeNull()
    expect(
      readApprovalLink(createSecretKey(randomBytes(32)), bytes.toString('base64url')),
    ).toBeNull()
    const unknown = Buffer.from(bytes)
    unknown.writeUInt8(9, 0)
    expect(readApprovalLink(key, unknown.toString('base64url'))).toBeNull()
    const noAction = Buffer.from(bytes)
    noAction.writeUInt8(0xff, 1)
    expect(readApprovalLink(key, noAction.toString('base64url'))).toBeNull()
  })

  it('still reads the links sent before one HMAC signed both (format 1) until they expire', () => {
    expect(readApprovalLink(key, perActionToken(0))).toEqual({ ...claims, action: 'approve' })
    expect(readApprovalLink(key, perActionToken(1))).toEqual({ ...claims, action: 'reject' })
    const forged = Buffer.from(perActionToken(0), 'base64url')
    forged.writeUInt8(1, 1)
    expect(readApprovalLink(key, forged.toString('base64url'))).toBeNull()
  })
})
