import type { Entity } from '../../metadata/entity'
import type { Flow } from '../../metadata/flow'
import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { fillText, flowLabels, toLocale } from '../flows/core/flow-labels'

/*
 * The words of a flow's refusals on a record write, in the caller's language (the workspace's,
 * sent as x-trellis-locale, else the user's saved one), naming the flow, its states and the entity
 * by their labels: a person reads "报价单审批", never the id `quoteApproval`. The labels come from
 * flows/core/flow-labels, as those of the engine's own refusals (flows/core/refusal-texts) do.
 */

type Key =
  | 'startTitle'
  | 'startField'
  | 'stateTitle'
  | 'stateField'
  | 'lockedTitle'
  | 'lockedField'
  | 'approverField'
  | 'approvalRunning'
  | 'deleteTitle'
  | 'deleteField'

const TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    startTitle: 'A new {entity} starts as {state}',
    startField: 'must be {state} or left out: it moves only through the actions of {flow}',
    stateTitle: '{field} cannot be set directly',
    stateField: 'moves only through the actions of {flow}',
    lockedTitle: 'This {entity} is locked while it is {state}',
    lockedField: 'is locked while the record is {state}',
    approverField: 'only the current approvers may change it now',
    approvalRunning: 'This {entity} is waiting for an approval: recall it before deleting it',
    deleteTitle: 'This {entity} is {state}: a record in this state cannot be deleted',
    deleteField: '{state} does not allow deleting',
  },
  'zh-CN': {
    startTitle: '新建的{entity}从“{state}”开始',
    startField: '只能是“{state}”或留空：它只能通过“{flow}”的操作变更',
    stateTitle: '{field}不能直接修改',
    stateField: '只能通过“{flow}”的操作变更',
    lockedTitle: '此{entity}处于“{state}”，已锁定',
    lockedField: '记录处于“{state}”时已锁定',
    approverField: '现在只有当前审批人可以修改',
    approvalRunning: '此{entity}正在等待审批：请先撤回再删除',
    deleteTitle: '此{entity}处于“{state}”：该状态的记录不能删除',
    deleteField: '“{state}”不允许删除',
  },
  ko: {
    startTitle: '새 {entity}은(는) "{state}" 상태로 시작합니다',
    startField: '"{state}"이거나 비워 두어야 합니다: "{flow}"의 작업으로만 바뀝니다',
    stateTitle: '{field}은(는) 직접 바꿀 수 없습니다',
    stateField: '"{flow}"의 작업으로만 바뀝니다',
    lockedTitle: '이 {entity}은(는) "{state}" 상태라 잠겨 있습니다',
    lockedField: '레코드가 "{state}" 상태인 동안 잠겨 있습니다',
    approverField: '지금은 현재 결재자만 바꿀 수 있습니다',
    approvalRunning: '이 {entity}은(는) 결재 대기 중입니다: 삭제하려면 먼저 회수하세요',
    deleteTitle: '이 {entity}은(는) "{state}" 상태입니다: 이 상태의 레코드는 삭제할 수 없습니다',
    deleteField: '"{state}" 상태에서는 삭제할 수 없습니다',
  },
}

/** The words of one request: its language and the labels of the flow's parts. */
export interface FlowLockWords {
  text: (key: Key, params?: Record<string, string>) => string
  entity: (entity: Entity) => string
  field: (entity: Entity, name: string) => string
  flow: (flow: Flow) => string
  state: (flow: Flow, entity: Entity, id: unknown) => string
}

/**
 * The flow-refusal words for the caller's language (English for one Trellis does not speak).
 * @example flowLockWords(ctx).state(quoteApproval, quote, 'converted') // '已转订单'
 */
export function flowLockWords(ctx: Ctx): FlowLockWords {
  const labels = flowLabels(toLocale(ctx.user?.locale))
  const texts = TEXTS[labels.locale]
  return { ...labels, text: (key, params) => fillText(texts[key], params) }
}
