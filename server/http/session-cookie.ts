import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { SESSION_TTL_MS } from '../../runtime/identity'
import { readHeader } from './read-header'

/** The cookie browsers carry the session token in. */
export const SESSION_COOKIE = 'trellis_session'

/** True when the client reached us over https (directly or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  const forwarded = readHeader(c, 'x-forwarded-proto')
  if (forwarded) return forwarded.split(',')[0].trim() === 'https'
  return c.req.url.startsWith('https:')
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over https. */
export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isHttps(c),
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  })
}

/** Expires the session cookie. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
  })
}
