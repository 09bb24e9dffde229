import type { Clock } from '../clock'
import type { Logger } from '../context'
import type { Db } from '../db'
import type { JobInfo, JobQueue } from './queue'
import { runOnce } from './run-once'
import {
  lockTimerForFiring,
  lockTimersForFiring,
  markTimerFired,
  markTimersFired,
  type Timer,
} from './timers'

/** One record change, as the outbox holds it and the `event` job carries it. */
export interface OutboxEvent {
  /** The outbox row id: events of one database are numbered in write order. */
  id: number
  entity: string
  recordId: string
  event: 'created' | 'updated' | 'deleted' | (string & {})
  /** `{ changes: { field: { before, after } }, id, version }` */
  payload: Record<string, unknown>
  userId: string | null
  createdAt: string
}

/**
 * What a handler works with: `db` is the transaction that also records the handler as done for
 * this event or firing, so its writes happen once however often the job is delivered.
 */
export interface AutomationCtx {
  db: Db
  clock: Clock
  log: Logger
  queue: JobQueue
}

export type EventHandler = (ctx: AutomationCtx, event: OutboxEvent) => Promise<void>
export type TimerHandler = (ctx: AutomationCtx, timer: Timer) => Promise<void>
/** Fires several timers of one kind at once, in the caller's transaction. */
export type TimerBatchHandler = (ctx: AutomationCtx, timers: Timer[]) => Promise<void>

/** The handlers automation runs: event handlers by name, timer handlers by kind. */
export interface HandlerRegistry {
  /**
   * Registers `handler` under `name`; every event it `accepts` (default: all) reaches it once.
   * `accepts` is checked before any transaction: an event a handler ignores costs it nothing,
   * not even its effect key.
   */
  onEvent(name: string, handler: EventHandler, accepts?: (event: OutboxEvent) => boolean): void
  /**
   * Registers the handler of timers of `kind` (one per kind); `batch`, when given, fires many
   * timers of the kind in a few statements (the `timers` job uses it; `timer` still runs one).
   */
  onTimer(kind: string, handler: TimerHandler, batch?: TimerBatchHandler): void
  events(): ReadonlyMap<
    string,
    { handler: EventHandler; accepts?: (event: OutboxEvent) => boolean }
  >
  timer(kind: string): TimerHandler | undefined
  /** The kind's batch handler, else one calling its handler timer by timer. */
  timerBatch(kind: string): TimerBatchHandler | undefined
  /**
   * Registers a job kind of a feature's own (e.g. `alert-delivery`): wherever automation runs
   * jobs (server, worker, `jobs run --now`), jobs of `name` run `run`.
   */
  onJob(name: string, run: JobRunner): void
  jobs(): ReadonlyMap<string, JobRunner>
}

/** Runs one job of a feature's own kind. */
export type JobRunner = (ctx: AutomationCtx, data: unknown, job: JobInfo) => Promise<void>

/**
 * A registry for the alerts, SLA, pools and other features that act on events and timers.
 * @example
 * const handlers = createHandlerRegistry()
 * handlers.onEvent('alerts', (ctx, event) => runAlerts(ctx, event))
 * handlers.onTimer('reminder', (ctx, timer) => remind(ctx, timer.payload))
 */
export function createHandlerRegistry(): HandlerRegistry {
  const events = new Map<
    string,
    { handler: EventHandler; accepts?: (event: OutboxEvent) => boolean }
  >()
  const timers = new Map<string, TimerHandler>()
  const batches = new Map<string, TimerBatchHandler>()
  const jobs = new Map<string, JobRunner>()
  return {
    onEvent(name, handler, accepts) {
      if (events.has(name)) throw new Error(`an event handler named ${name} is already registered`)
      events.set(name, { handler, accepts })
    },
    onTimer(kind, handler, batch) {
      if (timers.has(kind)) throw new Error(`a timer handler for ${kind} is already registered`)
      timers.set(kind, handler)
      batches.set(
        kind,
        batch ??
          (async (ctx, due) => {
            for (const timer of due) await handler(ctx, timer)
          }),
      )
    },
    onJob(name, run) {
      if (jobs.has(name) || ['event', 'timer', 'timers'].includes(name))
        throw new Error(`a job kind named ${name} is already registered`)
      jobs.set(name, run)
    },
    events: () => events,
    timer: (kind) => timers.get(kind),
    timerBatch: (kind) => batches.get(kind),
    jobs: () => jobs,
  }
}

/**
 * The `event` job: calls every registered event handler, each in its own transaction with its
 * effect key `outbox:<id>:<name>`, so a retried job skips the handlers that already ran.
 */
export async function runEventHandlers(
  ctx: AutomationCtx,
  handlers: HandlerRegistry,
  event: OutboxEvent,
): Promise<void> {
  for (const [name, { handler, accepts }] of handlers.events()) {
    if (accepts && !accepts(event)) continue
    await runOnce(ctx.db, `outbox:${event.id}:${name}`, 'event', (tx) =>
      handler({ ...ctx, db: tx }, event),
    )
  }
}

/**
 * The `timers` job: several firings in one transaction (one commit instead of one each, which
 * is what lets 10,000 reminders due at 9:00 go out in seconds). The timers still unfired at
 * their claimed due time are locked in one statement before their kinds' batch handlers run
 * and marked fired in one after, so a batch delivered twice, or a timer also in another
 * batch, fires once. Answers the firings that happened; a handler that throws rolls the whole
 * batch back (the caller then queues each timer on its own).
 */
export async function fireTimerBatch(
  ctx: AutomationCtx,
  handlers: HandlerRegistry,
  batch: TimerJobData[],
): Promise<TimerJobData[]> {
  for (const data of batch) {
    if (!handlers.timer(data.kind))
      throw new Error(`no handler is registered for timers of kind ${data.kind}`)
  }
  return ctx.db.transaction(async (tx) => {
    const firings = batch.map((data) => ({ id: data.id, dueAt: new Date(data.dueAt) }))
    // Locked in id order, fired in the batch's order (due first).
    const order = new Map(batch.map((data, i) => [data.id, i]))
    const locked = (await lockTimersForFiring(tx, firings)).sort(
      (a, b) => order.get(a.id)! - order.get(b.id)!,
    )
    const byKind = new Map<string, Timer[]>()
    for (const timer of locked) {
      const same = byKind.get(timer.kind) ?? []
      byKind.set(timer.kind, same)
      same.push(timer)
    }
    for (const [kind, timers] of byKind) {
      const fire = handlers.timerBatch(kind)
      if (!fire) throw new Error(`no handler is registered for timers of kind ${kind}`)
      await fire({ ...ctx, db: tx }, timers)
    }
    const marked = await markTimersFired(tx, locked)
    return batch.filter((data) => marked.has(data.id))
  })
}

/** What the `timer` job carries: enough to find the firing again. */
export interface TimerJobData {
  id: number
  kind: string
  dueAt: string
}

/**
 * The `timer` job: in one transaction, locks the timer if it is still unfired at the claimed
 * due time, runs its kind's handler and marks it fired. Fired, moved or cancelled meanwhile:
 * nothing happens (a moved timer fires at its new time). Answers whether it fired.
 */
export async function fireTimer(
  ctx: AutomationCtx,
  handlers: HandlerRegistry,
  data: TimerJobData,
): Promise<boolean> {
  const handler = handlers.timer(data.kind)
  if (!handler) throw new Error(`no handler is registered for timers of kind ${data.kind}`)
  const dueAt = new Date(data.dueAt)
  return ctx.db.transaction(async (tx) => {
    const timer = await lockTimerForFiring(tx, data.id, dueAt)
    if (!timer) return false
    await handler({ ...ctx, db: tx }, timer)
    return markTimerFired(tx, timer.id, dueAt)
  })
}
