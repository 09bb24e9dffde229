import type { Context, MiddlewareHandler, Next } from 'hono'
import { parse } from 'hono/utils/cookie'
import type { Clock } from '../../runtime/clock'
import type { CurrentUser } from '../../runtime/context'
import { isApiToken, signInFirst, type SessionResolver } from '../../runtime/identity'
import type { AppEnv } from '../app-deps'
import { readHeader } from '../http/read-header'
import { requestLocale } from '../http/request-locale'
import { assertSameOrigin } from '../http/same-origin'
import { SESSION_COOKIE } from '../http/session-cookie'

export interface AuthOptions {
  sessions: SessionResolver
  clock: Clock
  /**
   * Paths answered without a session: exact, or with `{param}` segments that match any one
   * segment (`/api/approval-links/{token}`: the token is the credential).
   */
  publicPaths: ReadonlySet<string>
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

type Via = 'bearer' | 'cookie'

/** The session token of a request: `Authorization: Bearer …`, else the session cookie. */
export function sessionToken(c: Parameters<MiddlewareHandler>[0]): {
  token: string
  via: Via
} | null {
  const header = readHeader(c, 'authorization')
  if (header && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
    return { token: header.slice(7).trim(), via: 'bearer' }
  }
  const cookies = readHeader(c, 'cookie')
  const cookie =
    cookies && cookies.includes(SESSION_COOKIE)
      ? parse(cookies, SESSION_COOKIE)[SESSION_COOKIE]
      : undefined
  return cookie ? { token: cookie, via: 'cookie' } : null
}

/**
 * Resolves the caller from the session or API token and refuses anonymous requests outside
 * `publicPaths` with 401, in the language the headers ask for (no caller, no saved one). API
 * tokens count only as `Authorization: Bearer`; cookie-authenticated writes must come from the
 * same origin (CSRF).
 */
export function auth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const admit = (c: Context<AppEnv>, next: Next, user: CurrentUser | null, via: Via) => {
    if (!user) throw signInFirst(requestLocale(c))
    if (via === 'cookie' && !SAFE_METHODS.has(c.req.method)) assertSameOrigin(c)
    c.set('user', user)
    c.set('authVia', via)
    return next()
  }
  const templates = [...options.publicPaths].filter((p) => p.includes('{')).map(toPattern)
  const isPublic = (path: string) =>
    options.publicPaths.has(path) || templates.some((t) => t.test(path))
  // Not async: a session memory answers costs no promise of its own on the way to the route.
  return (c, next) => {
    if (isPublic(c.req.path)) {
      c.set('user', null)
      c.set('authVia', null)
      return next()
    }
    const found = sessionToken(c)
    if (!found) throw signInFirst(requestLocale(c))
    if (found.via === 'cookie' && isApiToken(found.token)) throw signInFirst(requestLocale(c))
    const now = options.clock.now()
    const known = options.sessions.cached(found.token, now.getTime())
    if (known) return admit(c, next, known, found.via)
    return options.sessions
      .resolve(found.token, now)
      .then((user) => admit(c, next, user, found.via))
  }
}

/** A public path template as a pattern: each `{param}` matches one non-empty segment. */
function toPattern(template: string): RegExp {
  const parts = template.split(/\{[^}/]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${parts.join('[^/]+')}$`)
}
