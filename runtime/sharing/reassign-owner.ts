import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../context'
import { entityTable } from './load-targets'
import { ownerColumn } from './record-owner'

/** A record whose owner changed, with the owner it had before. */
export interface Reassigned {
  id: string
  before: string | null
}

/**
 * Gives the rows that `selectOld` picks (`select t.id, <owner> as before_owner from … t …`) the
 * owner `toUserId` in one statement: version bumped, updated_at / updated_by stamped, an audit
 * row ('updated' with the owner change) and an outbox event per row, as the records runtime does.
 */
export async function reassignOwner(
  ctx: Ctx,
  entity: Entity,
  selectOld: SQL,
  toUserId: string,
): Promise<Reassigned[]> {
  const { key, column } = ownerColumn(entity)
  const me = ctx.user?.id ?? null
  const now = ctx.clock.now().toISOString()
  const changes = sql`jsonb_build_object(${key}::text, jsonb_build_object('before', u.before_owner, 'after', ${toUserId}::uuid))`
  const audited = entity.trackChanges === false ? sql`'{}'::jsonb` : changes
  const table = entityTable(entity)
  const rows = await ctx.db.query<Reassigned>(sql`
    with old as (${selectOld}),
    upd as (update ${table} set ${column} = ${toUserId}::uuid, version = t.version + 1,
        updated_at = ${now}::timestamptz, updated_by = ${me}::uuid
      from old where t.id = old.id
      returning t.id, t.version, old.before_owner),
    aud as (insert into audit_log (entity, record_id, action, user_id, at, request_id, changes, version)
      select ${entity.id}::text, u.id, 'updated', ${me}::uuid, ${now}::timestamptz,
        ${ctx.requestId ?? null}::text, ${audited}, u.version
      from upd u),
    ob as (insert into outbox (entity, record_id, event, payload, user_id)
      select ${entity.id}::text, u.id, 'updated',
        jsonb_build_object('changes', ${changes}, 'id', u.id, 'version', u.version), ${me}::uuid
      from upd u)
    select u.id::text as id, u.before_owner::text as before from upd u`)
  return rows
}
