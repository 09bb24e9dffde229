import { createHash, randomBytes } from 'node:crypto'
import type postgres from 'postgres'

/** A JSON HTTP call; throws with the status and body on anything but 2xx. */
export async function callJson<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  if (!res.ok)
    throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 300)}`)
  return (text ? JSON.parse(text) : {}) as T
}

/**
 * A session token for the bench user: Trellis' own login when it answers, else a session row
 * written directly (sha-256 of a random token, the way Trellis stores them). Both servers accept it.
 */
export async function benchToken(
  sql: postgres.Sql,
  trellisUrl: string | null,
  user: { username: string; password: string },
): Promise<{ token: string; via: 'login' | 'session row' }> {
  if (trellisUrl) {
    try {
      const { token } = await callJson<{ token: string }>(`${trellisUrl}/api/auth/login`, {
        method: 'POST',
        body: user,
      })
      if (token) return { token, via: 'login' }
    } catch {
      // fall through: write the session ourselves
    }
  }
  const token = randomBytes(32).toString('base64url')
  const hash = createHash('sha256').update(token).digest('hex')
  await sql`insert into sessions (token_hash, user_id, expires_at)
    select ${hash}, id, now() + interval '12 hours' from users where lower(username) = lower(${user.username})`
  return { token, via: 'session row' }
}
