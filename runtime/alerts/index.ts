/**
 * Alerts: the pure decisions behind the `alert` kind — which alerts an event fires, when a
 * date alert is due, when a schedule runs next — and the SQL that resolves who receives one.
 * Delivery (queues, channels, notifications) builds on these.
 */
export {
  alertConditionHolds,
  isAlertEventKind,
  isSameFieldValue,
  matchEventAlerts,
  SLA_ALERT_EVENTS,
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
export { ALERT_DELIVERY_JOB, type AlertDeliveryData, type AlertDeps } from './alert-deps'
export {
  ALERT_EVENT_HANDLER,
  handleAlertEvent,
  handleAlertTimer,
  registerAlertHandlers,
} from './alert-events'
export {
  scheduleTimerKey,
  syncAlertTimers,
  syncDateTimers,
  syncScheduleTimers,
} from './alert-timers'
export {
  ALERT_PLAN_TIMER_KIND,
  DEFAULT_PLAN_BATCH,
  handlePlanTimer,
  planTimerKey,
  schedulePlanTimers,
} from './alert-plans'
export {
  MAX_ALERT_CHAIN,
  isAlertLoop,
  parseAlertOrigin,
  readWriteOrigin,
  toAlertOrigin,
} from './alert-origin'
export { deliverAlert, registerAlertJobs } from './deliver-alert'
export { recordLink, renderAlertMessage, type RenderedMessage } from './render-alert-message'
export { runAlertActions } from './alert-actions'
export { queueAlertDeliveries, type AlertFiring } from './queue-deliveries'
export { openAlertDeps, type AlertSettings } from './open-alert-deps'
