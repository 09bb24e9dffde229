import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { flowOf } from '../flows'

/**
 * The flow definition an instance runs on: the entity's published flow when it is the same flow
 * (labels are read from it; an instance of a flow since replaced gets none).
 */
export function instanceFlow(
  ctx: Pick<Ctx, 'meta'>,
  instance: { flow: string; entity: string },
): Flow | undefined {
  const flow = flowOf(ctx.meta, instance.entity)
  return flow?.id === instance.flow ? flow : undefined
}
