/**
 * The pure flow core: transitions, approvals and record locks computed from the flow, the
 * instance, one event and a context, with no I/O (runtime/flows is the shell that applies them).
 */
export { runFlowEvent } from './run-flow-event'
export { transitionOptions } from './options'
export { recordLock, type RecordLock } from './record-lock'
export { findStep } from './approval-tree'
