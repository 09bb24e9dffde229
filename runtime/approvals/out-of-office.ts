import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import { callerId } from './task-row'
import { userNames } from './user-names'

/** A user's out-of-office setting: tasks created for them between `from` and `to` go to `substitute`. */
export interface OutOfOffice {
  /** The substitute's user id (as PUT takes it). */
  substitute: string | null
  substituteName: string | null
  from: string | null
  to: string | null
  /** Whether the range holds now. */
  active: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const NONE: OutOfOffice = {
  substitute: null,
  substituteName: null,
  from: null,
  to: null,
  active: false,
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`'${path}' ${message}`, [{ path, message }])
}

function toTime(path: string, value: unknown): Date {
  const at = typeof value === 'string' && value.length <= 40 ? new Date(value) : null
  if (!at || Number.isNaN(at.getTime()) || !/^\d{4}-\d\d-\d\d/.test(value as string))
    throw invalid(path, 'must be an ISO date-time')
  return at
}

/** The caller's setting (all null when none is set). */
export async function getOutOfOffice(ctx: Ctx): Promise<OutOfOffice> {
  const me = callerId(ctx)
  const rows = await ctx.db.query<{
    substitute_id: string
    starts_at: string | Date
    ends_at: string | Date
  }>(sql`
    select substitute_id::text as substitute_id, starts_at, ends_at from out_of_office
    where user_id = ${me}::uuid`)
  if (!rows.length) return NONE
  const row = rows[0]
  const names = await userNames(ctx, [row.substitute_id])
  const from = new Date(row.starts_at)
  const to = new Date(row.ends_at)
  const now = ctx.clock.now().getTime()
  return {
    substitute: row.substitute_id,
    substituteName: names.get(row.substitute_id) ?? null,
    from: from.toISOString(),
    to: to.toISOString(),
    active: from.getTime() <= now && now < to.getTime(),
  }
}

/**
 * Sets the caller's substitute and range; 422 naming the field when the substitute is not an
 * active user, is the caller, or `from` is not before `to`.
 * @example await setOutOfOffice(ctx, { substitute: id, from: '2026-07-01T00:00:00Z', to: '2026-07-15T00:00:00Z' })
 */
export async function setOutOfOffice(
  ctx: Ctx,
  input: Record<string, unknown>,
): Promise<OutOfOffice> {
  const me = callerId(ctx)
  const unknown = Object.keys(input).find((k) => !['substitute', 'from', 'to'].includes(k))
  if (unknown) throw invalid(unknown, 'is not a field of out-of-office (substitute, from, to)')
  const substitute = input.substitute
  if (typeof substitute !== 'string' || !UUID.test(substitute))
    throw invalid('substitute', 'must be a user id')
  const sub = substitute.toLowerCase()
  if (sub === me) throw invalid('substitute', 'must be someone else')
  const from = toTime('from', input.from)
  const to = toTime('to', input.to)
  if (from.getTime() >= to.getTime()) throw invalid('to', "must be after 'from'")
  const found = await ctx.db.query(
    sql`select 1 from users where id = ${sub}::uuid and not disabled`,
  )
  if (!found.length) throw invalid('substitute', 'is not an active user')
  await ctx.db.query(sql`
    insert into out_of_office (user_id, substitute_id, starts_at, ends_at)
    values (${me}::uuid, ${sub}::uuid, ${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)
    on conflict (user_id) do update set substitute_id = excluded.substitute_id,
      starts_at = excluded.starts_at, ends_at = excluded.ends_at`)
  return getOutOfOffice(ctx)
}

/** Removes the caller's setting (nothing to remove is fine). */
export async function clearOutOfOffice(ctx: Ctx): Promise<void> {
  const me = callerId(ctx)
  await ctx.db.query(sql`delete from out_of_office where user_id = ${me}::uuid`)
}
