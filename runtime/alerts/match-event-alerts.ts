import type { Alert, AlertTrigger } from '../../metadata/alert'
import { evaluateRule, isTruthy } from '../rules'

/** `{ field: { before, after } }` as the outbox stores a write's changes. */
export type EventChanges = Record<string, { before: unknown; after: unknown }>

/** The outbox events of SLA milestones (runtime/sla emits them when a milestone falls due). */
export const SLA_ALERT_EVENTS = ['sla.warning', 'sla.breach'] as const
export type SlaAlertEvent = (typeof SLA_ALERT_EVENTS)[number]

/**
 * The outbox event a flow writes when it moves a record (the flow release writes it; alerts
 * listen already): payload `{ flow, from, to, action, version }`.
 */
export const TRANSITION_EVENT = 'transition'

/** The record events, SLA milestones and flow transitions alerts fire on. */
export const ALERT_EVENT_KINDS = [
  'created',
  'updated',
  'deleted',
  ...SLA_ALERT_EVENTS,
  TRANSITION_EVENT,
] as const
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number]

/** Whether an outbox event name is one alerts act on. */
export function isAlertEventKind(name: string): name is AlertEventKind {
  return (ALERT_EVENT_KINDS as readonly string[]).includes(name)
}

/** What an SLA milestone event names: which target of which service level fell due. */
export interface SlaMilestoneInfo {
  sla?: string
  target?: string
}

/** What a `transition` event says: the flow, the states and the action that moved the record. */
export interface TransitionInfo {
  flow?: string
  from?: string
  to?: string
  action?: string
}

/** An outbox event with the record it is about. */
export interface AlertEvent {
  entity: string
  event: AlertEventKind
  payload: { changes: EventChanges; id: string; version: number }
  /** The record after the write (for a delete: as it was). */
  record: Record<string, unknown>
  /** The values before the write; derived from `changes` when left out. */
  previous?: Record<string, unknown>
  /** Who wrote it (`$user` in conditions): the outbox row's user, as far as it is known. */
  user?: Record<string, unknown> | null
  /** The instant `today` / `now` read in conditions (defaults to the system time). */
  now?: Date
  /** For `sla.warning` / `sla.breach`: the milestone's target (`firstResponse`, `resolution`). */
  sla?: SlaMilestoneInfo
  /** For `transition`: which flow moved the record, from where, to where, by which action. */
  transition?: TransitionInfo
}

/** What conditions, `while` rules and action values read: `{ record, previous, $user }`. */
export interface AlertRuleData {
  record: Record<string, unknown>
  previous: Record<string, unknown> | null
  $user: Record<string, unknown> | null
}

/**
 * The data an alert's rules see for an event. `previous` is the record with each changed
 * field's `before` put back; a created record has none.
 */
export function toAlertRuleData(event: AlertEvent): AlertRuleData {
  let previous = event.previous ?? null
  if (!previous && (event.event === 'updated' || event.event === 'deleted')) {
    previous = { ...event.record }
    for (const [field, change] of Object.entries(event.payload.changes))
      previous[field] = change.before
  }
  return { record: event.record, previous, $user: event.user ?? null }
}

/**
 * Equality of field values as the API carries them: JSON-equal, except that a number and its
 * decimal text (money and decimals travel as text) are the same value.
 */
export function isSameFieldValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || a === undefined || b === undefined) return false
  const numeric = (v: unknown) =>
    typeof v === 'number' || (typeof v === 'string' && v.trim() !== '')
  if ((typeof a === 'number' || typeof b === 'number') && numeric(a) && numeric(b))
    return Number(a) === Number(b)
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Whether the trigger fires for this event (the condition aside). */
function triggerHolds(trigger: AlertTrigger, event: AlertEvent): boolean {
  switch (trigger.type) {
    case 'created':
    case 'updated':
    case 'deleted':
      return trigger.type === event.event
    case 'fieldChanged': {
      if (event.event !== 'created' && event.event !== 'updated') return false
      const change = event.payload.changes[trigger.field]
      if (!change || isSameFieldValue(change.before ?? null, change.after ?? null)) return false
      if ('from' in trigger && !isSameFieldValue(change.before ?? null, trigger.from)) return false
      if ('to' in trigger && !isSameFieldValue(change.after ?? null, trigger.to)) return false
      return true
    }
    case 'sla':
      return event.event === `sla.${trigger.milestone}` && event.sla?.target === trigger.target
    case 'transition': {
      if (event.event !== TRANSITION_EVENT) return false
      const moved = event.transition ?? {}
      return (['flow', 'to', 'action'] as const).every(
        (key) => trigger[key] === undefined || trigger[key] === moved[key],
      )
    }
    default:
      // Dates and schedules fire from timers.
      return false
  }
}

/** Whether an alert's condition holds for the data (no condition: it holds). */
export function alertConditionHolds(alert: Alert, data: AlertRuleData, now?: Date): boolean {
  if (alert.condition === undefined) return true
  return isTruthy(
    evaluateRule(alert.condition, data, { now, path: `alerts[${alert.id}].condition` }),
  )
}

/**
 * The alerts an outbox event fires: enabled, on the event's entity, whose trigger matches the
 * event (`fieldChanged` compares `from` / `to` with the change; `sla` the milestone and target
 * of an `sla.warning` / `sla.breach` event) and whose condition holds over
 * `{ record, previous, $user }`. Pure: no I/O.
 * @example matchEventAlerts(alerts, { entity: 'quote', event: 'updated',
 *   payload: { changes: { status: { before: 'draft', after: 'sent' } }, id, version: 2 }, record })
 * // [the alert whose trigger is { type: 'fieldChanged', field: 'status', to: 'sent' }]
 */
export function matchEventAlerts(alerts: readonly Alert[], event: AlertEvent): Alert[] {
  const candidates = alerts.filter(
    (a) => a.enabled !== false && a.entity === event.entity && triggerHolds(a.trigger, event),
  )
  if (candidates.length === 0) return []
  const data = toAlertRuleData(event)
  return candidates.filter((a) => alertConditionHolds(a, data, event.now))
}
