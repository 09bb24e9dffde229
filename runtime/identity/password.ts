import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const N = 16384
const R = 8
const P = 1
const KEY_LENGTH = 64
const SALT_LENGTH = 16

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

/**
 * Hashes a password with scrypt into a self-describing string.
 * @example await hashPassword('s3cret-pw') // 'scrypt$16384$8$1$<salt b64>$<hash b64>'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await scryptAsync(password, salt, KEY_LENGTH, {
    N,
    r: R,
    p: P,
    maxmem: 64 * 1024 * 1024,
  })
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$')
}

/** True when `password` matches `encoded`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [n, r, p] = parts.slice(1, 4).map(Number)
  if (
    ![n, r, p].every((x) => Number.isSafeInteger(x) && x > 0) ||
    n > 1 << 20 ||
    r > 32 ||
    p > 16
  ) {
    return false
  }
  const salt = Buffer.from(parts[4], 'base64')
  const expected = Buffer.from(parts[5], 'base64')
  if (salt.length === 0 || expected.length === 0) return false
  const maxmem = 128 * n * r * 2 + 1024 * 1024
  const actual = await scryptAsync(password, salt, expected.length, { N: n, r, p, maxmem })
  return timingSafeEqual(actual, expected)
}
