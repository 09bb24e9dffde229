import { fixedClock, systemClock, type Clock } from '../../runtime/clock'
import type { Logger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { BadRequestError } from '../../runtime/errors'
import {
  registerJobHandlers,
  runDueJobs,
  startAutomation,
  type Automation,
} from '../../runtime/jobs/automation'
import { createQueue } from '../../runtime/jobs/create-queue'
import { listDeadLetters, retryDeadLetter, storeDeadLetter } from '../../runtime/jobs/dead-letters'
import { readJobsHealth } from '../../runtime/jobs/jobs-health'
import type { JobQueue } from '../../runtime/jobs/queue'
import type { MetadataSet } from '../../runtime/registry'
import { readConfig, type Config } from '../config'
import { automationHandlers } from './automation-handlers'
import { openInstance } from './open-instance'

export const WORKER_HELP = `trellis worker

Runs job handlers, the outbox dispatcher and the timer poller in this process until SIGINT or
SIGTERM. Start as many as you like beside the API processes: each event and each timer is
handled once. Needs DATABASE_URL (PostgreSQL; the embedded PGlite folder belongs to the server)
and REDIS_URL (BullMQ). Set TRELLIS_API_JOBS=false to leave job handlers to workers only.`

export const JOBS_HELP = `trellis jobs <run|list|retry>

  jobs run --now <time>   fire every timer due by <time> (ISO 8601, e.g. 2026-03-01T09:00:00Z)
                          and every pending event, with the clock at <time>; wait until all of
                          it ran and print what ran. Works on a PGlite folder no server holds,
                          and on PostgreSQL (DATABASE_URL).
  jobs list               queue counts (with REDIS_URL), timers due, events not delivered, and
                          the open dead letters with their ids
  jobs retry <id>         queue a dead letter's job again (with REDIS_URL the workers run it;
                          else it runs in this command)`

/** `trellis jobs <sub>`. */
export function runJobs(sub: string | undefined, rest: string[], now: string | undefined) {
  switch (sub) {
    case 'run':
      return runJobsNow(now)
    case 'list':
      return runJobsList()
    case 'retry':
      return runJobsRetry(rest[0])
  }
  console.log(JOBS_HELP)
  return Promise.resolve(sub ? 2 : 0)
}

/** The queue of this process, storing what fails its last try in `dead_letters`. */
export function openQueue(db: Db, log: Logger, redisUrl: string | undefined): Promise<JobQueue> {
  return createQueue({
    redisUrl,
    prefix: readConfig().redisPrefix,
    log,
    onDeadLetter: async (job) => void (await storeDeadLetter(db, job)),
  })
}

/**
 * `trellis start`'s automation: dispatcher and timer poller always, job handlers unless
 * TRELLIS_API_JOBS=false leaves them to `trellis worker`. Returns what stops it.
 */
export async function startServerAutomation(
  db: Db,
  log: Logger,
  config = readConfig(),
  known?: MetadataSet,
): Promise<{ queue: JobQueue; automation: Automation; stop(): Promise<void> }> {
  const queue = await openQueue(db, log, config.redisUrl)
  const worker = !config.redisUrl || config.apiRunsJobs
  const {
    handlers,
    beforeRound,
    stop: stopHandlers,
  } = await automationHandlers(...[db, config, log, known])
  const concurrency = config.jobConcurrency
  const automation = startAutomation({
    ...{ db, queue, clock: systemClock, log, handlers },
    ...{ worker, concurrency, beforeRound },
  })
  log.info({ queue: queue.kind, worker }, 'automation started')
  const stop = async () => (stopHandlers(), await automation.stop(), await queue.close())
  return { queue, automation, stop }
}

/** `trellis worker`: job handlers, dispatcher and timer poller on PostgreSQL + Redis, until stopped. */
export async function runWorker(): Promise<number> {
  const config = readConfig()
  if (!config.databaseUrl)
    throw new Error(
      'trellis worker needs DATABASE_URL (PostgreSQL): the embedded PGlite database belongs to ' +
        'the server process, which runs its own jobs (trellis start).',
    )
  if (!config.redisUrl)
    throw new Error(
      'trellis worker needs REDIS_URL: without Redis, jobs live inside each process and only ' +
        'trellis start runs them.',
    )
  const { db, log, ctx } = await openInstance(config)
  const queue = await openQueue(db, log, config.redisUrl)
  const { handlers, beforeRound } = await automationHandlers(db, config, log, ctx.meta)
  const automation = startAutomation({
    ...{ db, queue, clock: systemClock, log, handlers },
    ...{ worker: true, concurrency: config.jobConcurrency, beforeRound },
  })
  console.log(`Trellis worker running (queue ${queue.kind}, pid ${process.pid})`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'worker shutting down')
    void automation
      .stop()
      .then(() => queue.close())
      .then(() => db.close())
      .then(() => process.exit(0))
    setTimeout(() => process.exit(1), 30_000).unref()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  return 0
}

/** Reads `--now`: an ISO date-time, else a 400 naming the option. */
export function toRunTime(now: string | undefined): Date {
  const at = now === undefined ? new Date(NaN) : new Date(now)
  if (!/^\d{4}-\d\d-\d\d/.test(now ?? '') || Number.isNaN(+at)) {
    const message = 'must be an ISO date-time such as 2026-03-01T09:00:00Z'
    throw new BadRequestError(`--now ${message}`, [{ path: '--now', message }])
  }
  return at
}

/**
 * `trellis jobs run --now <time>`: fires every timer due by then and every pending event, in
 * this process with the clock at that time, waits until all of it ran, prints what ran.
 */
export async function runJobsNow(now: string | undefined): Promise<number> {
  const at = toRunTime(now)
  const config = readConfig()
  const { db, log } = await openInstance(config)
  try {
    const run = await runAllDue(db, config, log, fixedClock(at), 1)
    for (const line of run.ran) console.log(line)
    console.log(`Ran ${run.events} event(s) and ${run.timers} timer(s) due by ${at.toISOString()}.`)
    if (run.delayed)
      console.log(`${run.delayed} job(s) failed and wait for a retry: run again later.`)
    return 0
  } finally {
    await db.close()
  }
}

/**
 * Runs every pending event and every timer due on `clock` in this process, on an in-process queue
 * of its own (whoever else is running), until all of it ran; answers what ran and how many jobs
 * wait for a retry. `jobs run --now` and the first start after the demo install use it.
 * @example const run = await runAllDue(db, config, log, systemClock, 4)
 */
export async function runAllDue(
  db: Db,
  config: Config,
  log: Logger,
  clock: Clock,
  concurrency: number,
): Promise<Awaited<ReturnType<typeof runDueJobs>> & { delayed: number }> {
  const queue = await openQueue(db, log, undefined)
  const { handlers, beforeRound, stop } = await automationHandlers(db, config, log)
  try {
    const run = await runDueJobs({
      ...{ db, queue, clock, log, handlers, beforeRound },
      concurrency,
    })
    return { ...run, delayed: (await queue.stats()).delayed }
  } finally {
    stop()
    await queue.close()
  }
}

/** `trellis jobs list`: queue counts, due timers, undelivered events, open dead letters. */
export async function runJobsList(): Promise<number> {
  const config = readConfig()
  const { db, log } = await openInstance(config)
  const queue = config.redisUrl ? await openQueue(db, log, config.redisUrl) : null
  try {
    const now = new Date()
    const h = await readJobsHealth(db, queue, now)
    const s = h.stats
    console.log(
      queue
        ? `Queue bullmq: ${s ? `${s.waiting} waiting, ${s.active} active, ${s.delayed} delayed, lag ${s.lagMs ?? 0} ms` : 'Redis did not answer'}`
        : 'Queue in-process: it lives in the server process (set REDIS_URL to see a shared queue).',
    )
    console.log(`Timers due and not fired: ${h.dueTimers}`)
    const lag = h.oldestUndeliveredMs === null ? '' : `, oldest ${h.oldestUndeliveredMs} ms`
    console.log(`Events not delivered: ${h.undeliveredEvents}${lag}`)
    const letters = await listDeadLetters(db, { limit: 50 })
    console.log(`Dead letters: ${h.openDeadLetters}`)
    for (const d of letters)
      console.log(`  ${d.id}  ${d.failedAt}  ${d.name} ${d.key} (${d.attempts} tries): ${d.error}`)
    return 0
  } finally {
    await queue?.close()
    await db.close()
  }
}

/**
 * `trellis jobs retry <id>`: queues a dead letter's job again. On BullMQ the workers run it; with
 * the in-process queue it runs here, now.
 */
export async function runJobsRetry(id: string | undefined): Promise<number> {
  if (!id)
    throw new BadRequestError('jobs retry needs a dead letter id', [
      { path: 'id', message: 'is required' },
    ])
  const config = readConfig()
  const { db, log } = await openInstance(config)
  const queue = await openQueue(db, log, config.redisUrl)
  try {
    if (queue.kind === 'in-process') {
      const { handlers, stop } = await automationHandlers(db, config, log)
      stop()
      registerJobHandlers({ db, queue, clock: systemClock, log }, handlers)
    }
    const letter = await retryDeadLetter(db, queue, id)
    if (queue.kind === 'in-process') {
      // Its retries live in this process: wait for them too, or they would go with it.
      do await queue.idle(10 * 60_000)
      while ((await queue.stats()).delayed > 0 && (await sleep(200)))
      console.log(`Ran dead letter ${letter.id} (${letter.name}) again as ${letter.retryKey}.`)
    } else
      console.log(`Queued dead letter ${letter.id} (${letter.name}) again as ${letter.retryKey}.`)
    return 0
  } finally {
    await queue.close()
    await db.close()
  }
}

const sleep = (ms: number) => new Promise<true>((r) => setTimeout(() => r(true), ms))
