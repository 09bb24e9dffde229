import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { requireEntity } from '../registry'
import { flowOf } from './flow-of'

/** The flow of `entity`; 404 for an unknown entity or one no flow governs. */
export function requireFlow(ctx: Ctx, entity: string): Flow {
  requireEntity(ctx.meta, entity)
  const flow = flowOf(ctx.meta, entity)
  if (!flow)
    throw new NotFoundError(`No flow governs '${entity}' records`, [
      { path: 'entity', message: 'has no flow' },
    ])
  return flow
}
