import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ValidationError, type Issue } from '../errors'

/** Whom a record is shared with, how, and until when. */
export interface ShareInput {
  userId?: string | null
  departmentId?: string | null
  access: 'read' | 'write'
  /** ISO date-time in the future; null or left out = no expiry. */
  expiresAt?: string | null
}

/** A checked share request: exactly one recipient, a known access, a future expiry or none. */
export interface ShareTarget {
  userId: string | null
  departmentId: string | null
  access: 'read' | 'write'
  expiresAt: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/

/** True for a canonical uuid string. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** The issues of the shape of a share request (no database look-ups). */
function shapeIssues(input: Record<string, unknown>, now: Date): Issue[] {
  const issues: Issue[] = []
  const { userId, departmentId, access, expiresAt } = input
  const hasUser = userId !== undefined && userId !== null
  const hasDepartment = departmentId !== undefined && departmentId !== null
  if (hasUser === hasDepartment) {
    issues.push({ path: 'userId', message: 'give exactly one of userId and departmentId' })
  } else if (hasUser && !isUuid(userId)) {
    issues.push({ path: 'userId', message: 'not a user id' })
  } else if (hasDepartment && !isUuid(departmentId)) {
    issues.push({ path: 'departmentId', message: 'not a department id' })
  }
  if (access !== 'read' && access !== 'write') {
    issues.push({ path: 'access', message: "must be 'read' or 'write'" })
  }
  if (expiresAt !== undefined && expiresAt !== null) {
    const at =
      typeof expiresAt === 'string' && DATE_TIME.test(expiresAt) ? Date.parse(expiresAt) : NaN
    if (Number.isNaN(at)) issues.push({ path: 'expiresAt', message: 'not an ISO date-time' })
    else if (at <= now.getTime())
      issues.push({ path: 'expiresAt', message: 'must be in the future' })
  }
  return issues
}

/**
 * Checks a share request: exactly one of userId / departmentId, which must exist (an enabled
 * user), access 'read' | 'write', expiresAt in the future. 422 naming each bad field.
 */
export async function validateShareInput(ctx: Ctx, input: ShareInput): Promise<ShareTarget> {
  const raw = (input ?? {}) as unknown as Record<string, unknown>
  const issues = shapeIssues(raw, ctx.clock.now())
  if (!issues.length) {
    if (isUuid(raw.userId)) {
      const rows = await ctx.db.query(
        sql`select 1 from users where id = ${raw.userId}::uuid and not disabled`,
      )
      if (!rows.length) issues.push({ path: 'userId', message: 'no such user' })
    } else if (isUuid(raw.departmentId)) {
      const rows = await ctx.db.query(
        sql`select 1 from departments where id = ${raw.departmentId}::uuid`,
      )
      if (!rows.length) issues.push({ path: 'departmentId', message: 'no such department' })
    }
  }
  if (issues.length) throw new ValidationError('Invalid share', issues)
  return {
    userId: isUuid(raw.userId) ? raw.userId.toLowerCase() : null,
    departmentId: isUuid(raw.departmentId) ? raw.departmentId.toLowerCase() : null,
    access: raw.access as 'read' | 'write',
    expiresAt: typeof raw.expiresAt === 'string' ? new Date(raw.expiresAt).toISOString() : null,
  }
}
