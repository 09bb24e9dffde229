import type { ApprovalStep, Flow, StepTimeout } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx } from '../context'
import { ConflictError, NotFoundError } from '../errors'
import { cancelTimer, scheduleTimer, type HandlerRegistry } from '../jobs'
import type { MetadataSet } from '../registry'
import { addBusinessMinutes } from '../sla'
import type { Db } from '../db'
import type { ApprovalInstance } from './approval-instance'
import { findStep as findApprovalStep } from './core'

/** The timer kind of an approval task's timeout; key `${instanceId}:${taskKey}`. */
export const APPROVAL_TIMEOUT_KIND = 'approval-timeout'

/** A working day, when a timeout counts days in a calendar's working hours. */
const BUSINESS_DAY_MINUTES = 8 * 60

/**
 * The step `id` of the approval on the instance's transition (step ids are unique within one
 * approval only: another transition's approval may use the same id for a step without timeout).
 */
export function findStep(flow: Flow, transition: string, id: string): ApprovalStep | undefined {
  const approval = flow.transitions.find((t) => t.id === transition)?.approval
  return approval ? findApprovalStep(approval, id) : undefined
}

/**
 * When a timeout falls due from `start`: wall-clock time, or working time of the named calendar
 * (a day there is 8 working hours). An unknown calendar counts wall-clock time.
 */
export function timeoutDue(meta: MetadataSet, timeout: StepTimeout, start: Date): Date {
  const { days = 0, hours = 0, minutes = 0 } = timeout.after
  const calendar = timeout.calendar ? meta.calendars.get(timeout.calendar) : undefined
  if (calendar)
    return addBusinessMinutes(calendar, start, days * BUSINESS_DAY_MINUTES + hours * 60 + minutes)
  return new Date(+start + ((days * 24 + hours) * 60 + minutes) * 60_000)
}

const timerKey = (instanceId: string, task: string) => `${instanceId}:${task}`

/** Schedules (or moves) a task's timeout timer when its step has a timeout. */
export async function scheduleTaskTimeout(
  ctx: Ctx,
  flow: Flow,
  inst: ApprovalInstance,
  task: string,
  step: string,
): Promise<void> {
  const timeout = findStep(flow, inst.transition, step)?.timeout
  if (!timeout) return
  await scheduleTimer(ctx.db, {
    kind: APPROVAL_TIMEOUT_KIND,
    key: timerKey(inst.id, task),
    dueAt: timeoutDue(ctx.meta, timeout, ctx.clock.now()),
    payload: { instance: inst.id, task },
    entity: inst.entity,
    recordId: inst.recordId,
  })
}

/** Cancels a task's timeout timer (gone already: nothing to do). */
export async function cancelTaskTimeout(ctx: Ctx, instanceId: string, task: string) {
  await cancelTimer(ctx.db, APPROVAL_TIMEOUT_KIND, timerKey(instanceId, task))
}

/** What the approval-timeout handler applies: the shell's door function, passed in. */
export type ApplyTimeout = (
  ctx: Ctx,
  instanceId: string,
  event: { type: 'timeout'; task: string; actor: string },
) => Promise<unknown>

/**
 * Registers the `approval-timeout` timer: when a task's timeout falls due, the timeout event is
 * applied to its instance as the system (remind, escalate, approve or reject, as the step says).
 * A task decided since (its timer raced the decision) is left as it is.
 * @example registerFlowHandlers(handlers, (db) => loadPublishedMetadata(db))
 */
export function registerApprovalTimeouts(
  handlers: HandlerRegistry,
  meta: (db: Db) => Promise<MetadataSet>,
  apply: ApplyTimeout,
): HandlerRegistry {
  handlers.onTimer(APPROVAL_TIMEOUT_KIND, async (actx, timer) => {
    const { instance, task } = timer.payload as { instance?: string; task?: string }
    if (!instance || !task) return
    const now = new Date(Math.max(+actx.clock.now(), +timer.dueAt))
    const ctx: Ctx = {
      db: actx.db,
      clock: { now: () => new Date(now) },
      log: actx.log,
      meta: await meta(actx.db),
      user: SYSTEM_USER,
    }
    try {
      await apply(ctx, instance, { type: 'timeout', task, actor: SYSTEM_USER.id })
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof NotFoundError)) throw err
      actx.log.debug({ instance, task, err: err.message }, 'approval timeout no longer applies')
    }
  })
  return handlers
}
