import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { flowAtVersion } from '../flows'

/**
 * The flow definition an instance runs on (the version it started with, whose step labels it
 * shows); undefined when that version is no longer known. `seen` shares look-ups across a page.
 */
export async function instanceFlow(
  ctx: Ctx,
  instance: { flow: string; flowVersion: number },
  seen: Map<string, Promise<Flow | undefined>> = new Map(),
): Promise<Flow | undefined> {
  const key = `${instance.flow}@${instance.flowVersion}`
  let found = seen.get(key)
  if (!found) {
    found = flowAtVersion(ctx, instance.flow, instance.flowVersion).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined
      throw err
    })
    seen.set(key, found)
  }
  return found
}
