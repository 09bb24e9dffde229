import { createHash } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type postgres from 'postgres'

/** The caller the baseline knows about: enough to stamp writes. */
export interface BaselineUser {
  id: string
  isAdmin: boolean
}

export type BaselineEnv = { Variables: { user: BaselineUser } }

/**
 * Bearer-token check against the platform `sessions` table (sha-256 of the token, one indexed
 * query joined to users), the same work Trellis' auth does per request, so auth cost is comparable.
 */
export function bearerAuth(sql: postgres.Sql): MiddlewareHandler<BaselineEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? ''
    const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : ''
    if (!token || token.length > 256) return c.json({ error: { code: 'unauthorized' } }, 401)
    const hash = createHash('sha256').update(token).digest('hex')
    const rows = await sql<BaselineUser[]>`
      select u.id, u.is_admin from sessions s join users u on u.id = s.user_id
      where s.token_hash = ${hash} and s.expires_at > now() and not u.disabled`
    if (!rows.length) return c.json({ error: { code: 'unauthorized' } }, 401)
    c.set('user', rows[0])
    await next()
  }
}
