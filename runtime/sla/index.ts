/**
 * Service levels: business time in a calendar (pure), the SLA plan of a record (pure), and the
 * event and timer handlers that keep a record's due times, breach flags and milestone timers
 * exact after every change.
 */
export { addBusinessMinutes, businessMinutesBetween } from './business-time'
export {
  matchPolicy,
  planSla,
  SLA_TARGETS,
  type SlaInput,
  type SlaMilestone,
  type SlaPlan,
  type SlaTarget,
  type SlaTimerPlan,
  type StatusChange,
} from './plan-sla'
export { readStatusHistory, slaTimerKey, syncSla, SLA_TIMER_KIND } from './sync-sla'
export {
  registerSlaHandlers,
  slaDefinitionsOf,
  slaEventName,
  type SlaHandlerOptions,
} from './sla-handlers'
