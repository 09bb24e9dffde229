import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './password'

describe('password hashing', () => {
  it('encodes the scrypt parameters, salt and hash in one string', async () => {
    const encoded = await hashPassword('correct horse')
    const parts = encoded.split('$')
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1'])
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16)
  })

  it('verifies the right password and refuses a wrong one', async () => {
    const encoded = await hashPassword('correct horse')
    expect(await verifyPassword('correct horse', encoded)).toBe(true)
    expect(await verifyPassword('correct horsE', encoded)).toBe(false)
  })

  it('salts every hash differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'))
  })

  it('answers false for a malformed or foreign hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$2b$abc')).toBe(false)
    expect(await verifyPassword('x', 'scrypt$abc$8$1$AAAA$AAAA')).toBe(false)
    expect(await verifyPassword('x', 'scrypt$16384$8$1$$')).toBe(false)
    expect(await verifyPassword('x', '')).toBe(false)
  })
})
