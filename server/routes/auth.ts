import { Hono } from 'hono'
import type { Context } from 'hono'
import type { CurrentUser } from '../../runtime/context'
import { BadRequestError, ForbiddenError, ValidationError } from '../../runtime/errors'
import {
  changeOwnPassword,
  countLoginAttempt,
  createApiToken,
  forgiveLoginAttempt,
  hashToken,
  isApiToken,
  listApiTokens,
  login,
  loginThrottleKeys,
  logout,
  passwordThrottleKeys,
  revokeApiToken,
  setOwnPreferences,
  signInFirst,
  type NewApiToken,
} from '../../runtime/identity'
import type { AppDeps, AppEnv } from '../app-deps'
import { readJsonObject } from '../http/json-body'
import { clientAddress } from '../http/read-header'
import { assertSameOrigin } from '../http/same-origin'
import { readQuery } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie'
import { sessionToken } from '../middleware/auth'

/**
 * Under /api/auth: POST /login, POST /logout, GET /me; POST /password (own password: other
 * sessions end, every API token of the caller is revoked);
 * GET, POST /tokens and DELETE /tokens/:id (own API tokens).
 */
export function authRoutes(deps: AppDeps): Hono<AppEnv> {
  return (
    new Hono<AppEnv>()
      .post('/login', async (c) => {
        // Unauthenticated, so the generic check skips it: a foreign site must not sign a browser
        // in (into the attacker's account) nor out.
        assertSameOrigin(c)
        const body = await readJsonObject(c)
        const issues = ['username', 'password']
          .filter((k) => typeof body[k] !== 'string' || !body[k])
          .map((path) => ({ path, message: 'required string' }))
        if (issues.length) throw new BadRequestError('Username and password are required', issues)
        const username = body.username as string
        // PostgreSQL text cannot hold NUL: no such user can exist, and the throttle key is text.
        if (username.includes('\u0000')) {
          throw new BadRequestError('Invalid username', [
            { path: 'username', message: 'must not contain a NUL character' },
          ])
        }
        // Counted before the password is checked, so parallel guesses cannot pass the limit.
        const attempt = await countLoginAttempt(
          deps,
          loginThrottleKeys(username, clientAddress(c, deps.trustedProxies)),
        )
        const session = await login(deps, username, body.password as string)
        await forgiveLoginAttempt(deps, attempt)
        setSessionCookie(c, session.token)
        return c.json({ token: session.token, user: session.user, expiresAt: session.expiresAt })
      })
      .post('/logout', async (c) => {
        assertSameOrigin(c)
        const found = sessionToken(c)
        if (found) {
          await logout(deps.db, found.token)
          // Other processes hear the NOTIFY; this one forgets the session before answering.
          deps.sessions?.apply({ tokenHash: hashToken(found.token) })
        }
        clearSessionCookie(c)
        return c.body(null, 204)
      })
      .get('/session', async (c) => {
        // Public: who is signed in, or null; no 401 (browsers log it) on the login page.
        const found = sessionToken(c)
        const usable = found && !(found.via === 'cookie' && isApiToken(found.token))
        const user =
          usable && deps.sessions
            ? await deps.sessions.resolve(found.token, deps.clock.now())
            : null
        return c.json({ user: user ?? null })
      })
      .get('/me', (c) => {
        const user = c.get('user')
        if (!user) throw signInFirst(requestLocale(c))
        return c.json({ user })
      })
      // Own preferences (the language): what the workspace's switcher saves.
      .patch('/me', async (c) => {
        const user = await setOwnPreferences(
          { db: deps.db, user: c.get('user') },
          await readJsonObject(c),
        )
        deps.sessions?.apply({ userId: user.id })
        return c.json({ user })
      })
      .post('/password', async (c) => {
        const user = signedInUser(c)
        const body = await readJsonObject(c)
        const attempt = await countLoginAttempt(deps, passwordThrottleKeys(user.id))
        const found = sessionToken(c)
        await changeOwnPassword(
          { db: deps.db, user, clock: deps.clock },
          body,
          found ? hashToken(found.token) : null,
        ).catch(async (err) => {
          // Only a wrong current password is a guess; any other refusal gives the try back.
          const guessed =
            err instanceof ValidationError && err.details.some((d) => d.path === 'currentPassword')
          if (!guessed) await forgiveLoginAttempt(deps, attempt, { proven: false })
          throw err
        })
        await forgiveLoginAttempt(deps, attempt)
        deps.sessions?.apply({ userId: user.id })
        return c.body(null, 204)
      })
      .get('/tokens', async (c) => {
        readQuery(c, [], requestLocale(c))
        return c.json({ data: await listApiTokens({ db: deps.db, user: signedInUser(c) }) })
      })
      .post('/tokens', async (c) => {
        const user = signedInUser(c)
        const body = await readJsonObject(c)
        const created = await createApiToken(
          { db: deps.db, user, clock: deps.clock },
          body as unknown as NewApiToken,
        )
        return c.json(created, 201)
      })
      .delete('/tokens/:id', async (c) => {
        const user = signedInUser(c)
        const { tokenHash } = await revokeApiToken(
          { db: deps.db, user, clock: deps.clock },
          c.req.param('id'),
        )
        deps.sessions?.apply({ tokenHash })
        return c.body(null, 204)
      })
  )
}

/** The caller of a credential-managing endpoint: a session, not an API token (403 for tokens). */
function signedInUser(c: Context<AppEnv>): CurrentUser {
  const user = c.get('user')
  if (!user) throw signInFirst(requestLocale(c))
  if (user.viaToken) {
    throw new ForbiddenError('API tokens cannot manage passwords or tokens: sign in instead')
  }
  return user
}
