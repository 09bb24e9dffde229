import { TASK_ACTIONS } from '$metadata/flow'
import type { Locale } from '$metadata/labels'
import type { MessageKey } from '$lib/i18n/en'

export { TASK_ACTIONS }

const ACTIONS = new Set([
  'submit',
  'approve',
  'reject',
  'return',
  'delegate',
  'reclaim',
  'transfer',
  'addSigner',
  'removeSigner',
  'withdraw',
  'recall',
  'resubmit',
  'remind',
  'escalate',
  'skip',
  'complete',
])
const STATUSES = new Set(['running', 'approved', 'rejected', 'recalled'])
const TASKS = new Set(['waiting', 'pending', 'approved', 'rejected', 'returned', 'cancelled'])
const MODES = new Set(['any', 'all', 'vote', 'sequence'])

/** The message of a timeline action (unknown ones read "acted"). */
export function actionKey(action: string): MessageKey {
  return (ACTIONS.has(action) ? `approval.action.${action}` : 'approval.action.other') as MessageKey
}

/** The message of an approval's status, or null for one the workspace does not know. */
export function statusKey(status: string): MessageKey | null {
  return STATUSES.has(status) ? (`approval.status.${status}` as MessageKey) : null
}

/** The message of a task's status, or null. */
export function taskStatusKey(status: string): MessageKey | null {
  return TASKS.has(status) ? (`approval.task.${status}` as MessageKey) : null
}

/** The message of a step's decision mode, or null. */
export function modeKey(mode: string | undefined): MessageKey | null {
  return mode && MODES.has(mode) ? (`approval.mode.${mode}` as MessageKey) : null
}

/** The button text of a task action, or null for one the panel does not offer. */
export function taskActionKey(action: string): MessageKey | null {
  return (TASK_ACTIONS as readonly string[]).includes(action) ||
    action === 'recall' ||
    action === 'resubmit'
    ? (`approval.do.${action}` as MessageKey)
    : null
}

/**
 * A moment in the reader's language: day and time.
 * @example whenText('2026-03-02T01:30:00Z', 'en') // 'Mar 2, 2026, 9:30 AM' (in Asia/Shanghai)
 */
export function whenText(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}
