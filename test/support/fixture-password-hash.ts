import { randomBytes, scryptSync } from 'node:crypto'

/**
 * A password hash in the format `verifyPassword` reads (scrypt$N$r$p$salt$key), made at a low
 * scrypt cost (N = 1024, a sixteenth of `hashPassword`'s) for users a fixture inserts directly: a
 * suite that signs in a dozen of them per database spends its time on its tests, not on scrypt.
 * Production hashes only through `hashPassword`; sign-in still runs the real `verifyPassword`.
 */
export function fixturePasswordHash(password: string): string {
  const [n, r, p] = [1024, 8, 1]
  const salt = randomBytes(16)
  const key = scryptSync(password, salt, 64, { N: n, r, p })
  return ['scrypt', n, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}
