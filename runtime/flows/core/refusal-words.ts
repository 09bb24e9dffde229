import type { Flow } from '../../../metadata/flow'
import { toLabel } from '../../../metadata/labels'
import type { CoreContext } from '../approval-instance'
import { fillText, flowLabels } from './flow-labels'
import { REFUSAL_TEXTS, type RefusalKey } from './refusal-texts'

/** A refusal's words in the caller's language, naming the flow's parts by their labels. */
export interface RefusalWords {
  text: (key: RefusalKey, params?: Record<string, string>) => string
  flow: () => string
  /** The flow's entity (its id when the caller's context has none). */
  entity: () => string
  transition: (id: string) => string
  state: (id: unknown) => string
  /** Several states as one phrase ("Draft, Not approved"; “草稿”、“未通过”). */
  states: (ids: string[]) => string
  step: (id: string) => string
  field: (name: string) => string
  status: (status: string) => string
  role: (id: string) => string
}

/**
 * The refusal words of one event: the language and the entity come with the core's context
 * (English and field names when the caller gives none), the labels from the flow (ids without
 * one: the flow of a task whose definition is gone).
 * @example refusalWords(flow, ctx).text('guardFails', { transition: w.transition('win') })
 */
export function refusalWords(
  flow: Flow | undefined,
  ctx: Pick<CoreContext, 'locale' | 'entity' | 'roles'>,
): RefusalWords {
  const labels = flowLabels(ctx.locale ?? 'en')
  const texts = REFUSAL_TEXTS[labels.locale]
  const state = (id: unknown) => (flow ? labels.state(flow, ctx.entity, id) : String(id))
  const quote = {
    en: (s: string) => s,
    'zh-CN': (s: string) => `“${s}”`,
    ko: (s: string) => `"${s}"`,
  }
  return {
    text: (key, params) => fillText(texts[key], params),
    flow: () => (flow ? labels.flow(flow) : ''),
    entity: () => (ctx.entity ? labels.entity(ctx.entity) : (flow?.entity ?? '')),
    transition: (id) => (flow ? labels.transition(flow, id) : id),
    state,
    states: (ids) =>
      ids
        .map((id) => quote[labels.locale](state(id)))
        .join(labels.locale === 'zh-CN' ? '、' : ', '),
    step: (id) => (flow ? labels.step(flow, id) : id),
    field: (name) => labels.field(ctx.entity, name),
    status: (status) => (status in texts ? texts[status as RefusalKey] : status),
    role: (id) => toLabel(ctx.roles?.get(id)?.label, labels.locale, id),
  }
}
