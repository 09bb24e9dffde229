/**
 * Jobs: the queue port with its two implementations (BullMQ on Redis, in-process), the
 * dead-letter list in PostgreSQL and run-once effects.
 */
export {
  assertJobSpec,
  DEFAULT_ATTEMPTS,
  DONE_KEY_SECONDS,
  type DeadJob,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JobSpec,
  type QueueOptions,
  type QueueStats,
} from './queue'
export { createInProcessQueue } from './in-process-queue'
export { createBullmqQueue, type BullmqQueueOptions } from './bullmq-queue'
export { createQueue, type CreateQueueOptions } from './create-queue'
export {
  listDeadLetters,
  retryDeadLetter,
  storeDeadLetter,
  toRetryKey,
  type DeadLetter,
} from './dead-letters'
export { runOnce, type RunOnceResult } from './run-once'
export {
  scheduleTimer,
  cancelTimer,
  cancelRecordTimers,
  claimDueTimers,
  markTimerFired,
  timerJobKey,
  type Timer,
  type TimerSpec,
} from './timers'
export { dispatchOutbox, sweepRetention, DEFAULT_RETENTION_MS } from './dispatcher'
export {
  startAutomation,
  runDueJobs,
  registerJobHandlers,
  type Automation,
  type AutomationOptions,
  type DueRun,
} from './automation'
export {
  createHandlerRegistry,
  type AutomationCtx,
  type EventHandler,
  type HandlerRegistry,
  type OutboxEvent,
  type TimerHandler,
} from './event-handlers'
export { registerBuiltInHandlers, REMINDER_TIMER_KIND } from './built-in-handlers'
export { readJobsHealth, type JobsHealth } from './jobs-health'
