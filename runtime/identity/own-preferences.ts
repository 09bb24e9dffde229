import { sql } from 'drizzle-orm'
import { LOCALES } from '../../metadata/labels'
import type { Ctx, CurrentUser } from '../context'
import type { Db } from '../db'
import { BadRequestError, UnauthorizedError, type Issue } from '../errors'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from './current-user-row'
import { announceIdentityChange } from './session-cache'

/** What a user may change about themselves without an administrator. */
export interface OwnPreferences {
  /** The language of the workspace and of what Trellis sends them (notifications, mail). */
  locale?: string
}

const KEYS = ['locale'] as const

/** Checks a body of own preferences; 400 naming each bad or unknown field. */
export function toOwnPreferences(body: Record<string, unknown>): OwnPreferences {
  const issues: Issue[] = Object.keys(body)
    .filter((key) => !(KEYS as readonly string[]).includes(key))
    .map((path) => ({ path, message: `unknown field; one of ${KEYS.join(', ')}` }))
  if ('locale' in body && !(LOCALES as readonly unknown[]).includes(body.locale))
    issues.push({ path: 'locale', message: `one of ${LOCALES.join(', ')}` })
  if (!issues.length && !KEYS.some((key) => key in body))
    issues.push({ path: 'locale', message: 'nothing to change: give locale' })
  if (issues.length) throw new BadRequestError('These preferences cannot be saved', issues)
  return { locale: body.locale as string | undefined }
}

/**
 * The caller changes their own preferences (today: their language). Every process forgets the
 * caller's cached sessions, so notifications and mail sent from then on use the new language.
 * @example const user = await setOwnPreferences(ctx, { locale: 'zh-CN' })
 */
export async function setOwnPreferences(
  ctx: Pick<Ctx, 'db' | 'user'>,
  body: Record<string, unknown>,
): Promise<CurrentUser> {
  const me = ctx.user
  if (!me) throw new UnauthorizedError('Sign in first')
  const { locale } = toOwnPreferences(body)
  const row = await updateOwnRow(ctx.db, me.id, locale)
  await announceIdentityChange(ctx.db, { userId: me.id })
  return toCurrentUser(row)
}

async function updateOwnRow(db: Db, userId: string, locale: string | undefined) {
  const [row] = await db.query<CurrentUserRow>(sql`
    update users u set locale = coalesce(${locale ?? null}, u.locale)
    where u.id = ${userId} and not u.disabled
    returning ${currentUserColumns}`)
  if (!row) throw new UnauthorizedError('Sign in first')
  return row
}
