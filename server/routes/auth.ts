import { Hono } from 'hono'
import { BadRequestError, UnauthorizedError } from '../../runtime/errors'
import { hashToken, login, logout } from '../../runtime/identity'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { createLoginLimiter } from '../http/login-limiter'
import { clientAddress } from '../http/read-header'
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie'
import { sessionToken } from '../middleware/auth'

/** POST /login, POST /logout, GET /me under /api/auth. */
export function authRoutes(deps: AppDeps): Hono<AppEnv> {
  const limiter = createLoginLimiter()
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const body = await readJsonObject(c)
      const issues = ['username', 'password']
        .filter((k) => typeof body[k] !== 'string' || !body[k])
        .map((path) => ({ path, message: 'required string' }))
      if (issues.length) throw new BadRequestError('Username and password are required', issues)
      const username = body.username as string
      const key = `${clientAddress(c)}|${username.slice(0, 128).toLowerCase()}`
      const now = deps.clock.now().getTime()
      limiter.assertAllowed(key, now)
      const session = await login(deps, username, body.password as string).catch((err) => {
        if (err instanceof UnauthorizedError) limiter.recordFailure(key, now)
        throw err
      })
      limiter.reset(key)
      setSessionCookie(c, session.token)
      return c.json({ token: session.token, user: session.user, expiresAt: session.expiresAt })
    })
    .post('/logout', async (c) => {
      const found = sessionToken(c)
      if (found) {
        await logout(deps.db, found.token)
        // Other processes hear the NOTIFY; this one forgets the session before answering.
        deps.sessions?.apply({ tokenHash: hashToken(found.token) })
      }
      clearSessionCookie(c)
      return c.body(null, 204)
    })
    .get('/me', (c) => {
      const user = c.get('user')
      if (!user) throw new UnauthorizedError('Sign in first')
      return c.json({ user })
    })
}
