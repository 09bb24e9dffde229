import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../context'
import { columnName } from '../schema'
import { entityTable } from './load-targets'
import { reassignOwner, type Reassigned } from './reassign-owner'
import { ownerColumn } from './record-owner'
import { T } from './scope-condition'

/** An entity that follows `parent`'s permissions, and the column that points at the parent. */
interface RelatedEntity {
  entity: Entity
  parentColumn: string
}

/** Entities whose `permissionParent` is a reference to `parentId` (child tables excluded). */
export function relatedEntities(entities: Iterable<Entity>, parentId: string): RelatedEntity[] {
  const found: RelatedEntity[] = []
  for (const entity of entities) {
    const name = entity.permissionParent
    if (!name || entity.childOf || entity.id === parentId) continue
    const field = entity.fields.find((f) => f.name === name)
    if (field?.type !== 'reference' || field.entity !== parentId) continue
    found.push({ entity, parentColumn: columnName(field) })
  }
  return found
}

/**
 * Moves the records that follow the transferred parents (e.g. contacts and orders of customers)
 * to the new owner: only those the parent's old owner owned. Counts per entity id.
 */
export async function moveRelated(
  ctx: Ctx,
  parent: Entity,
  moved: Reassigned[],
  toUserId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  const pairs = moved.filter((m) => m.before)
  for (const { entity, parentColumn } of relatedEntities(ctx.meta.entities.values(), parent.id)) {
    counts[entity.id] = 0
    if (!pairs.length) continue
    const owner = ownerColumn(entity).column
    const parents = sql.join(
      pairs.map((p) => sql`(${p.id}::uuid, ${p.before}::uuid)`),
      sql`, `,
    )
    const selectOld = sql`select ${T}.id, ${T}.${owner} as before_owner
      from ${entityTable(entity)} join (values ${parents}) p(id, owner)
        on ${T}.${sql.identifier(parentColumn)} = p.id and ${T}.${owner} = p.owner
      where ${T}.${owner} is distinct from ${toUserId}::uuid`
    counts[entity.id] = (await reassignOwner(ctx, entity, selectOld, toUserId)).length
  }
  return counts
}
