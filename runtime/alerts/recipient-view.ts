import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../context'
import { NotFoundError } from '../errors'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from '../identity'
import { canAttempt, hiddenFields, stripHidden } from '../permissions'
import { getRecord } from '../records'

/** What one recipient may see of a firing: the record and its previous values, hidden fields out. */
export interface RecipientView {
  user: CurrentUser
  record: Record<string, unknown>
  previous: Record<string, unknown> | null
}

/** The enabled user with their roles and shares, as a request would see them; null if gone. */
export async function loadRecipientUser(
  ctx: Pick<Ctx, 'db'>,
  userId: string,
): Promise<CurrentUser | null> {
  const [row] = await ctx.db.query<CurrentUserRow>(
    sql`select ${currentUserColumns} from users u where u.id = ${userId}::uuid and not u.disabled`,
  )
  return row ? toCurrentUser(row) : null
}

/**
 * The record as `userId` may read it now (their read scope, shares and field rules, exactly as
 * GET of the record answers them), or null when they may not read it at all. A deleted record
 * cannot be scoped any more: its snapshot goes only to users with some read right on the entity.
 * @example await viewAsRecipient(ctx, userId, 'quote', id, previous, null) // null: not theirs
 */
export async function viewAsRecipient(
  ctx: Omit<Ctx, 'user'>,
  userId: string,
  entity: string,
  recordId: string,
  previous: Record<string, unknown> | null,
  snapshot: Record<string, unknown> | null,
): Promise<RecipientView | null> {
  const user = await loadRecipientUser(ctx, userId)
  if (!user) return null
  const as: Ctx = { ...ctx, user }
  let record: Record<string, unknown>
  if (snapshot) {
    if (!canAttempt(as, entity, 'read')) return null
    record = snapshot
  } else {
    try {
      record = await getRecord(as, entity, recordId)
    } catch (err) {
      if (err instanceof NotFoundError) return null
      throw err
    }
  }
  const hidden = hiddenFields(as, entity)
  return {
    user,
    record: stripHidden(hidden, record) as Record<string, unknown>,
    previous: previous && (stripHidden(hidden, previous) as Record<string, unknown>),
  }
}
