import type { Entity } from '../../../metadata/entity'
import type { Flow } from '../../../metadata/flow'
import { fillText, toLabel, toLocale, type Locale } from '../../../metadata/labels'
import { findStep } from './approval-tree'

/*
 * How a flow's refusals name its parts in one language: by their labels (报价审批, 已转订单),
 * never by their ids. Pure, so the core and the record shell word their refusals alike.
 */

// Where a flow's words are picked and filled: re-exported for the flow engine's callers.
export { fillText, toLocale }

/** The labels of a flow's parts in one language; an unknown part reads as its id. */
export interface FlowLabels {
  locale: Locale
  entity: (entity: Entity) => string
  field: (entity: Entity | undefined, name: string) => string
  flow: (flow: Flow) => string
  state: (flow: Flow, entity: Entity | undefined, id: unknown) => string
  transition: (flow: Flow, id: string) => string
  step: (flow: Flow, id: string) => string
}

/**
 * The labels of flows, states, transitions, steps and fields in `locale`.
 * @example flowLabels('zh-CN').state(quoteApproval, quote, 'converted') // '已转订单'
 */
export function flowLabels(locale: Locale): FlowLabels {
  // In English the entity reads in lower case inside a sentence ("A new quote starts as Draft").
  const lower = (s: string) => (locale === 'en' ? s.charAt(0).toLowerCase() + s.slice(1) : s)
  return {
    locale,
    entity: (entity) => lower(toLabel(entity.label, locale, entity.id)),
    field: (entity, name) => {
      const field = entity?.fields.find((f) => f.name === name)
      return toLabel(field?.label, locale, name)
    },
    flow: (flow) => toLabel(flow.label, locale, flow.id),
    state: (flow, entity, id) => {
      const state = flow.states.find((s) => s.id === id)
      const field = entity?.fields.find((f) => f.name === flow.stateField)
      const option = field?.options?.find((o) => o.value === id)
      return toLabel(state?.label ?? option?.label, locale, String(id))
    },
    transition: (flow, id) => {
      const transition = flow.transitions.find((t) => t.id === id)
      return toLabel(transition?.label, locale, id)
    },
    step: (flow, id) => {
      for (const t of flow.transitions) {
        const step = t.approval && findStep(t.approval, id)
        if (step) return toLabel(step.label, locale, id)
      }
      return id
    },
  }
}
