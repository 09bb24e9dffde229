/**
 * Approvals as people use them: the inbox (pending, submitted, CC, done; only readable records),
 * task actions one by one or in bulk, the approval panel of a record, recall and resubmit,
 * out-of-office substitutes and signed single-use links. The engine itself is runtime/flows.
 */
export {
  listInbox,
  inboxCounts,
  isInboxBox,
  MAX_INBOX_LIMIT,
  type InboxItem,
  type InboxPage,
  type InboxCounts,
} from './inbox'
export { INBOX_BOXES, type InboxBox } from './inbox-sql'
export { actOnTask, type TaskActionResult } from './task-actions'
export { bulkActOnTasks, MAX_BULK_TASKS, type BulkTaskResult } from './bulk-actions'
export { isTaskAction, TASK_ACTIONS, type TaskAction, type TaskActionInput } from './task-event'
export { getApprovalView, type ApprovalView } from './approval-view'
export { recordApprovalAction, type RecordApprovalResult } from './record-approval-actions'
export { getOutOfOffice, setOutOfOffice, clearOutOfOffice, type OutOfOffice } from './out-of-office'
export {
  createApprovalLink,
  actOnApprovalLink,
  LINK_TTL_MS,
  LinkExpiredError,
  LinkUsedError,
  RecordChangedError,
  type LinkAction,
} from './approval-links'
export { describeApprovalLink, type ApprovalLinkView } from './approval-link-view'
