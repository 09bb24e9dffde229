import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { announceIdentityChange } from '../identity'
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
 * Shares each record with the target: an existing share with the same recipient changes its
 * access and expiry (its creator, who may end it, stays) in one upsert, so a record has at most one share per recipient
 * even when two writers race (unique indexes record_shares_recipient_user_key /
 * record_shares_department_key).
 * Returns the ids of the shares written, one per record.
 */
export async function writeShares(
  ctx: Ctx,
  entityId: string,
  recordIds: string[],
  target: ShareTarget,
): Promise<string[]> {
  const conflict = target.userId
    ? sql`(entity, record_id, user_id) where user_id is not null`
    : sql`(entity, record_id, department_id) where department_id is not null`
  const now = ctx.clock.now().toISOString()
  // One row per record (an upsert may not touch a row twice), in one order for every writer so
  // two bulk shares over the same records wait for each other instead of deadlocking.
  const rows = [...new Set(recordIds)].sort().map(
    (id) => sql`(${entityId}, ${id}::uuid, ${target.userId}::uuid, ${target.departmentId}::uuid,
      ${target.access}, ${target.expiresAt}::timestamptz, ${ctx.user?.id ?? null}::uuid, ${now}::timestamptz)`,
  )
  const written = await ctx.db.query<{ id: string; record_id: string }>(sql`
    insert into record_shares (entity, record_id, user_id, department_id, access, expires_at, created_by, created_at)
    values ${sql.join(rows, sql`, `)}
    on conflict ${conflict} do update set access = excluded.access, expires_at = excluded.expires_at
    returning id::text as id, record_id::text as record_id`)
  // Cached sessions know which entities are shared with them (CurrentUser.sharedEntities); the
  // recipient's are reloaded when this commits.
  await announceIdentityChange(
    ctx.db,
    target.userId ? { userId: target.userId } : { departmentId: target.departmentId as string },
  )
  const byRecord = new Map(written.map((r) => [r.record_id, r.id]))
  return recordIds.map((id) => byRecord.get(id) as string)
}
