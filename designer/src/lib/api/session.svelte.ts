import { api, ApiError, unwrap } from './client'

/** The signed-in user as the API reports it (the runtime's CurrentUser shape). */
export interface SessionUser {
  id: string
  username: string
  displayName: string
  locale: string
  isAdmin: boolean
  departmentId?: string | null
  managerId?: string | null
  /** Role ids (united permissions). */
  roles?: string[]
}

/** Who is signed in; `checked` turns true once GET /api/auth/session has answered. */
export const session = $state<{ user: SessionUser | null; checked: boolean }>({
  user: null,
  checked: false,
})

/**
 * Asks the server who the cookie belongs to. GET /api/auth/session answers `{ user: null }` for
 * no one (not a 401, which every browser logs as an error on the login page).
 */
export async function loadSession(): Promise<SessionUser | null> {
  try {
    session.user = toUser(await api<unknown>('/api/auth/session'))
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.warn(err)
    session.user = null
  }
  session.checked = true
  return session.user
}

/** Signs in; throws ApiError(401) on wrong credentials. */
export async function login(username: string, password: string): Promise<SessionUser | null> {
  const body = await api<unknown>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
  })
  session.user = toUser(body) ?? (await loadSession())
  session.checked = true
  return session.user
}

/**
 * Saves the signed-in user's language on the server, so what Trellis sends them (notifications,
 * mail) follows the workspace's switcher; nothing to do for no one.
 */
export async function saveOwnLocale(locale: string): Promise<void> {
  if (!session.user || session.user.locale === locale) return
  const body = await api<unknown>('/api/auth/me', { method: 'PATCH', body: { locale } })
  session.user = toUser(body) ?? session.user
}

/** Ends the session on the server and forgets the user here. */
export async function logout(): Promise<void> {
  try {
    await api('/api/auth/logout', { method: 'POST' })
  } finally {
    session.user = null
  }
}

// The API may answer `{ user }`, `{ data: user }` or the user itself.
function toUser(payload: unknown): SessionUser | null {
  const inner = unwrap<Record<string, unknown> | null>(payload)
  const user = (inner && 'user' in inner ? inner.user : inner) as SessionUser | null
  return user && typeof user === 'object' && typeof user.id === 'string' ? user : null
}
