import type { Flow, FlowState } from '../../metadata/flow'
import type { MetadataSet } from '../registry'

/** Flows by entity, indexed once per published metadata set. */
const indexes = new WeakMap<MetadataSet, Map<string, Flow>>()

/** Every flow of the published metadata. */
export function flowsOf(meta: MetadataSet): Flow[] {
  return [...meta.flows.values()]
}

/**
 * The flow that governs the records of `entity`, if any (one flow per entity). A map lookup:
 * entities without a flow pay nothing more.
 * @example flowOf(ctx.meta, 'leave_request')?.stateField // 'status'
 */
export function flowOf(meta: MetadataSet, entity: string): Flow | undefined {
  let index = indexes.get(meta)
  if (!index) {
    index = new Map()
    for (const flow of flowsOf(meta)) if (!index.has(flow.entity)) index.set(flow.entity, flow)
    indexes.set(meta, index)
  }
  return index.get(entity)
}

/** The flow with id `id`, if it is published. */
export function flowById(meta: MetadataSet, id: string): Flow | undefined {
  return meta.flows.get(id)
}

/**
 * The state new records start in: the one marked initial, else the state field's default, else
 * the first state.
 */
export function initialState(flow: Flow, fieldDefault?: unknown): FlowState {
  return (
    flow.states.find((s) => s.initial) ??
    flow.states.find((s) => s.id === fieldDefault) ??
    flow.states[0]
  )
}
