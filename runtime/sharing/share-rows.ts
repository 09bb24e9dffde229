import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { ShareTarget } from './share-input'

/** A share as the API answers it. */
export interface Share {
  id: string
  userId: string | null
  departmentId: string | null
  access: 'read' | 'write'
  expiresAt: string | null
  userName: string | null
  departmentName: string | null
  createdAt: string
}

const iso = (column: SQL) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** The active (unexpired) shares of `where`, with the names of whom they go to. */
export async function selectShares(ctx: Ctx, where: SQL): Promise<Share[]> {
  const now = ctx.clock.now().toISOString()
  return ctx.db.query<Share>(sql`
    select s.id::text as "id", s.user_id::text as "userId", s.department_id::text as "departmentId",
      s.access as "access", ${iso(sql`s.expires_at`)} as "expiresAt",
      u.display_name as "userName", d.name as "departmentName", ${iso(sql`s.created_at`)} as "createdAt"
    from record_shares s
      left join users u on u.id = s.user_id
      left join departments d on d.id = s.department_id
    where ${where} and (s.expires_at is null or s.expires_at > ${now}::timestamptz)
    order by s.created_at, s.id`)
}

/**
 * Shares each record with the target: an existing share with the same recipient is replaced
 * (its access and expiry change), so a record has at most one share per recipient.
 * Returns the ids of the shares written, one per record.
 */
export async function writeShares(
  ctx: Ctx,
  entityId: string,
  recordIds: string[],
  target: ShareTarget,
): Promise<string[]> {
  const recipient = target.userId
    ? sql`user_id = ${target.userId}::uuid`
    : sql`department_id = ${target.departmentId}::uuid`
  const records = sql.join(
    recordIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )
  await ctx.db.query(sql`delete from record_shares
    where entity = ${entityId} and record_id in (${records}) and ${recipient}`)
  const now = ctx.clock.now().toISOString()
  const rows = recordIds.map(
    (id) => sql`(${entityId}, ${id}::uuid, ${target.userId}::uuid, ${target.departmentId}::uuid,
      ${target.access}, ${target.expiresAt}::timestamptz, ${ctx.user?.id ?? null}::uuid, ${now}::timestamptz)`,
  )
  const inserted = await ctx.db.query<{ id: string; record_id: string }>(sql`
    insert into record_shares (entity, record_id, user_id, department_id, access, expires_at, created_by, created_at)
    values ${sql.join(rows, sql`, `)} returning id::text as id, record_id::text as record_id`)
  const byRecord = new Map(inserted.map((r) => [r.record_id, r.id]))
  return recordIds.map((id) => byRecord.get(id) as string)
}
