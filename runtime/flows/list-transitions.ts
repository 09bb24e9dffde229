import type { Flow, FlowState } from '../../metadata/flow'
import { toLabel, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { readForTransitions } from '../records'
import type { TransitionOption } from './approval-instance'
import { transitionOptions } from './core'
import { coreContext } from './core-context'
import { readRecordInstances } from './instance-summary'
import { requireFlow } from './require-flow'

/** A state as the workspace shows it, labels in the caller's language. */
export interface StateView {
  id: string
  label: string
  color: string | null
  initial: boolean
  final: boolean
}

/** What `GET …/transitions` answers. */
export interface TransitionList {
  state: { id: string; label: string; color: string | null } | null
  states: StateView[]
  transitions: (TransitionOption & { label: string; style: 'primary' | 'danger' | 'default' })[]
  approval: { id: string; status: string } | null
}

/** A state's label and colour: its own, else its select option's. */
function stateView(ctx: Ctx, flow: Flow, state: FlowState, initial: string): StateView {
  const locale = (ctx.user?.locale ?? 'en') as Locale
  const field = ctx.meta.entities.get(flow.entity)?.fields.find((f) => f.name === flow.stateField)
  const option = field?.options?.find((o) => o.value === state.id)
  return {
    id: state.id,
    label: toLabel(state.label ?? option?.label, locale, state.id),
    color: state.color ?? option?.color ?? null,
    initial: state.id === initial,
    final: state.final === true,
  }
}

/**
 * The record's state, the flow's states and every transition with whether the caller may fire
 * it now and why not (`scope`: the caller's `transition` scope does not reach the record), and
 * the record's running (or last) approval. A record the caller cannot read is 404.
 * @example (await listTransitions(ctx, 'quote', id)).transitions.filter((t) => t.available)
 */
export async function listTransitions(
  ctx: Ctx,
  entity: string,
  id: string,
): Promise<TransitionList> {
  const flow = requireFlow(ctx, entity)
  const { record, inScope } = await readForTransitions(ctx, entity, id)
  const { running, latest } = await readRecordInstances(ctx, entity, id)
  const options = transitionOptions(flow, running, await coreContext(ctx, flow, record))
  const initial = (flow.states.find((s) => s.initial) ?? flow.states[0]).id
  const states = flow.states.map((s) => stateView(ctx, flow, s, initial))
  const current = states.find((s) => s.id === record[flow.stateField])
  const locale = (ctx.user?.locale ?? 'en') as Locale
  return {
    state: current ? { id: current.id, label: current.label, color: current.color } : null,
    states,
    transitions: options.map((o) => {
      const t = flow.transitions.find((x) => x.id === o.id)
      const scoped = inScope ? o : { ...o, available: false, reason: 'scope' as const }
      return { ...scoped, label: toLabel(t?.label, locale, o.id), style: t?.style ?? 'default' }
    }),
    approval: latest ? { id: latest.id, status: latest.status } : null,
  }
}
