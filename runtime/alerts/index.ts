/**
 * Alerts: the pure decisions behind the `alert` kind — which alerts an event fires, when a
 * date alert is due, when a schedule runs next — and the SQL that resolves who receives one.
 * Delivery (queues, channels, notifications) builds on these.
 */
export {
  alertConditionHolds,
  isSameFieldValue,
  matchEventAlerts,
  toAlertRuleData,
  type AlertEvent,
  type AlertRuleData,
  type EventChanges,
} from './match-event-alerts'
export {
  ALERT_TIMER_KIND,
  DEFAULT_ALERT_TIME,
  alertTimerKey,
  planDateTimers,
  type AlertTimerPlan,
  type PlanOptions,
} from './plan-date-timers'
export { nextScheduleRun } from './next-schedule-run'
export { buildRecipientQuery, type RecipientRow } from './recipient-query'
export { isSmsOptedOut } from './sms-opt-out'
