import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { requireEntity } from '../registry'
import { callerRefusalWords } from './core-context'
import { flowOf } from './flow-of'

/** The flow of `entity`; 404 for an unknown entity or one no flow governs (in the caller's words). */
export function requireFlow(ctx: Ctx, entity: string): Flow {
  requireEntity(ctx.meta, entity, ctx.user?.locale)
  const flow = flowOf(ctx.meta, entity)
  if (!flow) {
    const w = callerRefusalWords(ctx, entity)
    throw new NotFoundError(w.text('noFlow', { entity: w.entity() }), [
      { path: 'entity', message: w.text('noFlowField') },
    ])
  }
  return flow
}
