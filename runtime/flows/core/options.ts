import type { Flow, FlowTransition } from '../../../metadata/flow'
import type {
  ApprovalInstance,
  CoreContext,
  TransitionOption,
  UnavailableReason,
} from '../approval-instance'
import { holds } from './conditions'
import { stateOf } from './fire-checks'

/**
 * Every transition of the flow with whether the caller may fire it now and, if not, why
 * (`scope` is the shell's to add: the core does not know the caller's role scopes).
 */
export function transitionOptions(
  flow: Flow,
  instance: ApprovalInstance | null,
  ctx: CoreContext,
): TransitionOption[] {
  return flow.transitions.map((t) => {
    const reason = unavailable(flow, t, instance, ctx)
    return {
      id: t.id,
      available: !reason,
      ...(reason ? { reason } : {}),
      requires: t.requires ?? [],
      inputs: t.inputs ?? [],
      comment: t.comment ?? 'optional',
      approval: !!t.approval && holds(t.approval.when, ctx, `transitions.${t.id}.approval.when`),
    }
  })
}

function unavailable(
  flow: Flow,
  t: FlowTransition,
  instance: ApprovalInstance | null,
  ctx: CoreContext,
): UnavailableReason | undefined {
  const state = stateOf(flow, ctx.record)
  if (flow.states.find((s) => s.id === state)?.final) return 'final'
  if (!t.from.includes(state)) return 'state'
  if (instance?.status === 'running') return 'pending'
  if (!holds(t.guard, ctx, `transitions.${t.id}.guard`)) return 'guard'
  return undefined
}
