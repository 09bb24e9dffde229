import { createHash } from 'node:crypto'
import { hostname } from 'node:os'
import type { Clock } from '../clock'
import type { Logger } from '../context'
import type { Db } from '../db'
import {
  DEFAULT_RETENTION_MS,
  dispatchOutbox,
  markEventDelivered,
  queueOutboxInProcess,
  sweepRetention,
} from './dispatcher'
import {
  fireTimer,
  fireTimerBatch,
  runEventHandlers,
  type AutomationCtx,
  type HandlerRegistry,
  type OutboxEvent,
  type TimerJobData,
} from './event-handlers'
import { DEFAULT_ATTEMPTS, type JobQueue } from './queue'
import { claimDueTimers, nextTimerDue, releaseTimer, timerJobKey, type Timer } from './timers'

export interface AutomationOptions {
  db: Db
  queue: JobQueue
  clock: Clock
  log: Logger
  handlers: HandlerRegistry
  /** Runs the `event` and `timer` jobs in this process (false: a dispatcher-only API process). */
  worker: boolean
  /**
   * Longest wait between polls of the outbox and the timers (default 1000 ms); a timer falling
   * due sooner wakes the loop at its due time.
   */
  pollMs?: number
  /** `event` and `timer` jobs run at once in this process (default 4 each). */
  concurrency?: number
  /** Timers claimed per poll (default 500). */
  timerBatch?: number
  /** How long a claimed timer stays claimed before another process may take it (default 60 s). */
  leaseMs?: number
  retentionMs?: number
  /** Wait between retention sweeps (default 10 min). */
  sweepMs?: number
  /** Names this process in `timers.claimed_by` (default host:pid). */
  owner?: string
  /** Runs at the start of every round (the handlers' metadata refresh). */
  beforeRound?: () => Promise<void>
}

export interface Automation {
  /** One round now: dispatch the outbox, claim due timers; answers how many of each. */
  poll(): Promise<{ events: number; timers: number }>
  /** Stops polling and waits for the round in progress (the queue is the caller's to close). */
  stop(): Promise<void>
}

/**
 * Starts the automation loop: every `pollMs`, the outbox goes to the queue as `event` jobs and
 * due timers as `timer` jobs; now and then delivered events and fired timers past retention are
 * swept. With `worker`, this process also runs those jobs. Every part is safe in any number of
 * processes: rows are claimed with `SKIP LOCKED`, and effects carry idempotency keys.
 * @example
 * const automation = startAutomation({ db, queue, clock, log, handlers, worker: true })
 * // …on shutdown:
 * await automation.stop(); await queue.close()
 */
export function startAutomation(options: AutomationOptions): Automation {
  const { db, queue, clock, log, handlers } = options
  const owner = options.owner ?? `${hostname()}:${process.pid}`
  if (options.worker)
    registerJobHandlers({ db, queue, clock, log }, handlers, { concurrency: options.concurrency })
  const drain = createOutboxDrain(db, queue, 20, wantedBy(handlers), options.beforeRound)
  let lastSweep = 0
  const pollMs = options.pollMs ?? 1000
  /** How long the loop sleeps after the last round (0 when the round left due timers). */
  let sleepMs = pollMs
  let running: Promise<{ events: number; timers: number }> | null = null
  let stopped = false

  const round = async () => {
    await options.beforeRound?.()
    const events = await drain()
    // Batch after batch while they come back full (at most 20 a round): a backlog of due
    // timers (after downtime, or 10,000 reminders at 9:00) goes out at once, not 500 a poll.
    const claim = {
      now: clock.now(),
      limit: options.timerBatch ?? 500,
      owner,
      leaseMs: options.leaseMs ?? 60_000,
    }
    let timers = 0
    let sent = claim.limit
    for (let batch = 0; batch < 20 && sent === claim.limit; batch++) {
      sent = await enqueueDueTimers(db, queue, claim)
      timers += sent
    }
    sleepMs = sent === claim.limit ? 0 : await untilNextDue(db, clock, pollMs)
    if (Date.now() - lastSweep >= (options.sweepMs ?? 600_000)) {
      lastSweep = Date.now()
      const now = clock.now()
      const swept = await sweepRetention(db, { now, retentionMs: options.retentionMs })
      if (swept.outbox || swept.timers || swept.effects)
        log.info(swept, 'swept delivered events, fired timers and old effect keys')
    }
    return { events, timers }
  }
  // A poll asked for during a round waits for it and runs one more: the caller's writes may
  // have come after the round read the outbox.
  const poll = async (): Promise<{ events: number; timers: number }> => {
    if (running) await running.catch(() => {})
    running ??= round().finally(() => (running = null))
    return running
  }
  const tick = async () => {
    if (stopped) return
    try {
      await poll()
    } catch (err) {
      log.warn({ err }, 'automation round failed; trying again at the next poll')
      sleepMs = pollMs
    }
    if (!stopped) timer = setTimeout(tick, sleepMs)
  }
  let timer: NodeJS.Timeout | undefined = setTimeout(tick, 0)
  return {
    poll,
    async stop() {
      stopped = true
      clearTimeout(timer)
      timer = undefined
      await running?.catch(() => {})
    },
  }
}

/**
 * How long to sleep until the next timer falls due (a few ms after, so it is due when claimed),
 * at most `pollMs`; `pollMs` when the look-up fails (the next round tries again).
 */
async function untilNextDue(db: Db, clock: Clock, pollMs: number): Promise<number> {
  const now = clock.now()
  const next = await nextTimerDue(db, now).catch(() => null)
  return next ? Math.min(pollMs, Math.max(0, +next - +now) + 5) : pollMs
}

/** Registers the `event` and `timer` job handlers of automation on `ctx.queue`. */
export function registerJobHandlers(
  ctx: AutomationCtx,
  handlers: HandlerRegistry,
  options: { concurrency?: number; onRan?: (line: string) => void } = {},
): void {
  const work = { concurrency: options.concurrency ?? 4 }
  const told = options.onRan ?? (() => {})
  ctx.queue.work<OutboxEvent>(
    'event',
    async (e, job) => {
      const inProcess = ctx.queue.kind === 'in-process'
      try {
        await runEventHandlers(ctx, handlers, e)
      } catch (err) {
        // Its last try: the dead letter takes over, and the row must not be queued again.
        if (inProcess && job.attempt >= DEFAULT_ATTEMPTS) await markEventDelivered(ctx.db, e.id)
        throw err
      }
      if (inProcess) await markEventDelivered(ctx.db, e.id)
      told(`event ${e.id}: ${e.entity} ${e.recordId} ${e.event}`)
    },
    work,
  )
  for (const [name, run] of handlers.jobs())
    ctx.queue.work(name, (data, job) => run(ctx, data, job), work)
  ctx.queue.work<{ timers: TimerJobData[] }>(
    'timers',
    async ({ timers }) => {
      let fired: TimerJobData[]
      try {
        fired = await fireTimerBatch(ctx, handlers, timers)
      } catch (err) {
        // One firing failed and took the batch with it: each goes on alone, with its own tries
        // and its own dead letter, and the others are not held back by it.
        ctx.log.warn({ err, timers: timers.length }, 'a timer batch failed; firing one by one')
        const alone = timers.map((data) => ({
          name: 'timer',
          key: timerJobKey({ id: data.id, dueAt: new Date(data.dueAt) }),
          data,
        }))
        await Promise.all(alone.map((job) => ctx.queue.add(job)))
        return
      }
      for (const data of fired) told(`timer ${data.id}: ${data.kind} due ${data.dueAt}`)
    },
    work,
  )
  ctx.queue.work<TimerJobData>(
    'timer',
    async (data) => {
      if (await fireTimer(ctx, handlers, data))
        told(`timer ${data.id}: ${data.kind} due ${data.dueAt}`)
    },
    work,
  )
}

/** Whether some registered event handler takes `event` (one without `accepts` takes all). */
export function wantedBy(handlers: HandlerRegistry): (event: OutboxEvent) => boolean {
  return (event) => [...handlers.events().values()].some((h) => !h.accepts || h.accepts(event))
}

/** What `runDueJobs` did. */
export interface DueRun {
  events: number
  timers: number
  /** One line per event handled and timer fired, in the order they finished. */
  ran: string[]
}

/**
 * Runs everything due at `clock.now()` in this process and returns once the queue is idle:
 * every pending event and every timer due by then, again and again while handlers add more
 * (at most `maxRounds`). `trellis jobs run --now` and tests use it.
 * @example const { ran } = await runDueJobs({ db, queue, clock: fixedClock(at), log, handlers })
 */
export async function runDueJobs(
  options: Omit<AutomationOptions, 'worker' | 'pollMs'> & { maxRounds?: number },
): Promise<DueRun> {
  const { db, queue, clock, log, handlers } = options
  const ran: string[] = []
  registerJobHandlers({ db, queue, clock, log }, handlers, {
    concurrency: options.concurrency,
    onRan: (line) => ran.push(line),
  })
  const claim = {
    now: clock.now(),
    limit: options.timerBatch ?? 500,
    owner: options.owner ?? `${hostname()}:${process.pid}:run`,
    leaseMs: options.leaseMs ?? 60_000,
  }
  const drain = createOutboxDrain(db, queue, 20, wantedBy(handlers), options.beforeRound)
  const total = { events: 0, timers: 0 }
  for (let round = 0; round < (options.maxRounds ?? 100); round++) {
    let found = 0
    await options.beforeRound?.()
    for (let sent = -1; sent !== 0; found += sent) sent = await drain()
    for (let sent = -1; sent !== 0; found += sent) sent = await enqueueDueTimers(db, queue, claim)
    await queue.idle(10 * 60_000)
    if (found === 0) break
  }
  for (const line of ran) total[line.startsWith('event') ? 'events' : 'timers']++
  return { ...total, ran }
}

/**
 * Dispatches outbox batches until a batch comes back short (or `maxBatches` went, so a steady
 * stream of writes cannot keep one round going); answers how many events went. On the
 * in-process queue, events are marked delivered when their job is done instead (see
 * `queueOutboxInProcess`), and this call scans every undelivered row from the start.
 */
export function drainOutbox(db: Db, queue: JobQueue, maxBatches = 20): Promise<number> {
  return createOutboxDrain(db, queue, maxBatches)()
}

/** How often the in-process drain rescans from the first undelivered row. */
const RESCAN_MS = 10_000

/**
 * A drain that remembers where the in-process scan got to, so a poll reads only new rows; every
 * `RESCAN_MS` it starts over, which finds a row whose transaction committed after a later one.
 * `refresh` runs between reading a batch and judging it with `wanted` (see DispatchOptions).
 */
export function createOutboxDrain(
  db: Db,
  queue: JobQueue,
  maxBatches = 20,
  wanted?: (event: OutboxEvent) => boolean,
  refresh?: () => Promise<void>,
): () => Promise<number> {
  let afterId = 0
  let rescanAt = 0
  return async () => {
    let total = 0
    if (queue.kind === 'in-process' && Date.now() >= rescanAt) {
      afterId = 0
      rescanAt = Date.now() + RESCAN_MS
    }
    for (let i = 0; i < maxBatches; i++) {
      let sent: number
      if (queue.kind === 'in-process') {
        const queued = await queueOutboxInProcess(db, queue, afterId, OUTBOX_BATCH, wanted, refresh)
        ;({ count: sent, lastId: afterId } = queued)
      } else sent = await dispatchOutbox(db, queue, { batchSize: OUTBOX_BATCH, wanted, refresh })
      total += sent
      if (sent < OUTBOX_BATCH) break
    }
    return total
  }
}

const OUTBOX_BATCH = 500

/**
 * Firings per `timers` job: a job costs a transaction and about five statements whatever its
 * size (lock, handlers' batch writes, NOTIFY, mark fired), so bigger batches mean fewer commits
 * and queue round trips; a claim of 500 makes two jobs, one per worker busy at 9:00.
 */
export const TIMER_JOB_BATCH = 250

/**
 * Claims due timers and queues them as `timers` jobs of up to `TIMER_JOB_BATCH` firings each
 * (keyed by the firings they hold), all at once; the claims of a batch the
 * queue refused are given back. Answers how many timers went to the queue.
 */
export async function enqueueDueTimers(
  db: Db,
  queue: JobQueue,
  claim: Parameters<typeof claimDueTimers>[1],
): Promise<number> {
  const due = await claimDueTimers(db, claim)
  const batches: Timer[][] = []
  for (let i = 0; i < due.length; i += TIMER_JOB_BATCH)
    batches.push(due.slice(i, i + TIMER_JOB_BATCH))
  const added = await Promise.allSettled(
    batches.map((batch) => {
      const timers = batch.map((t) => ({ id: t.id, kind: t.kind, dueAt: t.dueAt.toISOString() }))
      // Keyed by what it holds: a batch led by the same timer but holding others is a new job.
      const held = batch.map((t) => `${t.id}@${t.dueAt.toISOString()}`).join(',')
      const key = `timers:${createHash('sha1').update(held).digest('hex')}`
      return queue.add({ name: 'timers', key, data: { timers } })
    }),
  )
  const refused = added.flatMap((r, i) => (r.status === 'rejected' ? batches[i] : []))
  for (const timer of refused) await releaseTimer(db, timer.id)
  const failure = added.find((r) => r.status === 'rejected')
  if (failure) throw (failure as PromiseRejectedResult).reason
  return due.length
}

export { DEFAULT_RETENTION_MS }
