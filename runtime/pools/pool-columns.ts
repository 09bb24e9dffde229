import type { SQL } from 'drizzle-orm'
import type { PoolDefinition } from '../../metadata/pool'
import { DefinitionError } from '../errors'
import type { MetadataSet } from '../registry'
import { entityPlan, type EntityPlan } from '../records'

/** The columns a pool works on: the entity table, its owner, pool and level columns. */
export interface PoolColumns {
  plan: EntityPlan
  owner: SQL
  pool: SQL
  level: SQL | null
}

/** Resolves a pool's columns against the published entity; a missing field is a 400. */
export function poolColumns(meta: MetadataSet, pool: PoolDefinition): PoolColumns {
  const plan = entityPlan(meta, pool.entity)
  const column = (name: string | undefined, path: string) => {
    const stored = name ? plan.storedByName.get(name) : undefined
    if (!stored)
      throw new DefinitionError(`Pool '${pool.id}' names a missing field`, [
        { path, message: `no field '${name}' in entity '${pool.entity}'` },
      ])
    return stored.idents[0]
  }
  return {
    plan,
    owner: column(plan.entity.ownerField, 'entity'),
    pool: column(pool.poolField ?? 'pool', 'poolField'),
    level: pool.levelField ? column(pool.levelField, 'levelField') : null,
  }
}
