import { notify, notifyMany, type NotifyInput } from '../notifications'
import type { AutomationCtx, HandlerRegistry } from './event-handlers'
import { cancelRecordTimers, timerJobKey, type Timer } from './timers'

/** The timer kind of a plain in-app reminder: payload `{ userId, title, body? }`. */
export const REMINDER_TIMER_KIND = 'reminder'

/**
 * Registers what the engine itself does with events and timers: a deleted record's timers go
 * with it (`record-timers`), and a `reminder` timer notifies its user in-app when it falls due,
 * once per due time (the notification's key is the firing's key). A batch of reminders is
 * stored in one statement with one NOTIFY.
 * @example
 * await scheduleTimer(db, { kind: 'reminder', key: itemId, dueAt, entity: 'schedule_item',
 *   recordId: itemId, payload: { userId, title: 'Call Acme back' } })
 */
export function registerBuiltInHandlers(handlers: HandlerRegistry): HandlerRegistry {
  handlers.onEvent(
    'record-timers',
    async (ctx, event) => void (await cancelRecordTimers(ctx.db, event.entity, event.recordId)),
    (event) => event.event === 'deleted',
  )
  handlers.onTimer(
    REMINDER_TIMER_KIND,
    async (ctx, timer) => void (await notify(ctx.db, toReminderNotice(ctx, timer))),
    async (ctx, timers) =>
      void (await notifyMany(
        ctx.db,
        timers.map((timer) => toReminderNotice(ctx, timer)),
      )),
  )
  return handlers
}

/** The in-app notification a `reminder` timer sends. */
function toReminderNotice(ctx: AutomationCtx, timer: Timer): NotifyInput {
  const { userId, title, body } = timer.payload as {
    userId?: string
    title?: string
    body?: string
  }
  return {
    userId: userId ?? '',
    title: title ?? '',
    body: body ?? null,
    entity: timer.entity,
    recordId: timer.recordId,
    key: timerJobKey(timer),
    createdAt: ctx.clock.now(),
  }
}
