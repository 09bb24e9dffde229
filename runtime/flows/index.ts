/**
 * Flows: records move through the states their flow declares, by transitions and approvals.
 * The pure core (./core) computes each event's outcome; this shell locks, loads, calls it and
 * writes what it answers in one transaction (record, audit, outbox, approval rows, timers).
 */
import type { Db } from '../db'
import type { HandlerRegistry } from '../jobs'
import type { MetadataSet } from '../registry'
import { applyApprovalEvent } from './apply-approval-event'
import { registerApprovalTimeouts } from './approval-timers'

export { flowOf, flowById, flowsOf, initialState } from './flow-of'
export { fireTransition, type FireInput } from './fire-transition'
export { applyApprovalEvent } from './apply-approval-event'
export { listTransitions, type StateView, type TransitionList } from './list-transitions'
export { loadOrgView, buildOrgView } from './org-view'
export { flowAtVersion } from './flow-version'
export { noticeTitle } from './flow-notices'
export { callerRefusalWords } from './core-context'
export type { RefusalWords } from './core/refusal-words'
export type { RefusalKey } from './core/refusal-texts'
export { APPROVAL_TIMEOUT_KIND, timeoutDue, findStep } from './approval-timers'
export { TRANSITION_OUTBOX_EVENT } from '../registry'
export type * from './approval-instance'

/**
 * Registers what flows do in automation: the `approval-timeout` timer applies a task's timeout
 * (remind, escalate, approve, reject) as the system when it falls due.
 * @example registerFlowHandlers(handlers, (db) => loadPublishedMetadata(db))
 */
export function registerFlowHandlers(
  handlers: HandlerRegistry,
  meta: (db: Db) => Promise<MetadataSet>,
): HandlerRegistry {
  return registerApprovalTimeouts(handlers, meta, applyApprovalEvent)
}
