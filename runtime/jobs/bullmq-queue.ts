import type { Job, Queue, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import { silentLogger } from '../context'
import {
  assertJobSpec,
  DEFAULT_ATTEMPTS,
  DONE_KEY_SECONDS,
  type JobHandler,
  type JobQueue,
  type QueueOptions,
  type QueueStats,
} from './queue'

export interface BullmqQueueOptions extends QueueOptions {
  /** redis://… of the Redis that holds the jobs. */
  redisUrl: string
  /** Namespace of every Redis key (default `trellis`); tests use one per file. */
  prefix?: string
  /** The one BullMQ queue of this Trellis instance (default `jobs`); a job's name picks its handler. */
  queueName?: string
  /**
   * How long a worker's claim on a running job lasts without renewal (BullMQ `lockDuration`,
   * production default 30 s). A worker killed mid-job loses its claim after this long…
   */
  lockDurationMs?: number
  /** …and the next stalled check, every this many ms (default 30 s), gives the job to another. */
  stalledIntervalMs?: number
  /** `add` rejects when Redis has not taken the job within this long (default 5 s). */
  addTimeoutMs?: number
  /** How often a worker looks for failed jobs no one dead-lettered yet (default 60 s). */
  sweepIntervalMs?: number
}

/**
 * BullMQ and its Redis client, loaded on first use: a process on the in-process queue (the
 * embedded default) never loads them (≈ 0.4 s and 35 MB at start).
 */
let modules: Promise<[typeof import('bullmq'), typeof import('ioredis')]> | undefined
const loadModules = () => (modules ??= Promise.all([import('bullmq'), import('ioredis')]))

/** Reconnect every 0.2, 0.4, … up to 2 s, for ever: workers outlive a Redis restart. */
const retryStrategy = (times: number) => Math.min(times * 200, 2000)
/** A job no process here has a handler for waits this long before it is offered again. */
const NO_HANDLER_DELAY_MS = 1000
/** Failed jobs are kept this long when no `onDeadLetter` takes them. */
const KEEP_FAILED_SECONDS = 7 * 24 * 60 * 60
/** After its running jobs end, `close` waits at most this long for Redis. */
const CLOSE_GRACE_MS = 5000

/**
 * The job queue on BullMQ: one BullMQ queue per Trellis instance in Redis, any number of
 * processes adding and working. A job's `key` is its BullMQ job id (escaped, since BullMQ refuses
 * ':' and integer ids), and completed jobs are kept for a day (`DONE_KEY_SECONDS`; BullMQ evicts
 * them lazily, so at least a day), so adding a key again within a day does nothing. A job that
 * fails its last try is handed to `onDeadLetter` and then removed from Redis. `add` rejects
 * within `addTimeoutMs` while Redis is away (the caller keeps its outbox row and tries again);
 * workers reconnect by themselves. A worker killed mid-job: another runs the job again after
 * `lockDurationMs` plus up to two stalled checks, so handlers make their effects idempotent
 * with `runOnce`.
 * @example
 * const queue = await createBullmqQueue({ redisUrl: 'redis://127.0.0.1:6379', onDeadLetter })
 * queue.work('timer', fireTimer, { concurrency: 8 })
 * await queue.add({ name: 'timer', key: `timer:${id}`, data: { id } })
 */
export async function createBullmqQueue(options: BullmqQueueOptions): Promise<JobQueue> {
  const [{ DelayedError, Queue, Worker }, { Redis }] = await loadModules()
  const log = options.log ?? silentLogger
  const prefix = options.prefix ?? 'trellis'
  const queueName = options.queueName ?? 'jobs'
  const addTimeoutMs = options.addTimeoutMs ?? 5000
  // Adds fail fast while Redis is away instead of queueing in memory; workers wait it out.
  const producer = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy,
  })
  producer.on('error', (err) => log.debug({ err }, 'redis connection (queue) failed'))
  const queue = new Queue(queueName, { connection: producer, prefix })
  queue.on('error', (err) => log.debug({ err }, 'job queue error'))
  const handlers = new Map<string, { handler: JobHandler; slots: Slots }>()
  const deadLetters = createDeadLetterTaker(queue, producer, options)
  let worker: { worker: Worker; connection: Redis; sweep: NodeJS.Timeout } | null = null
  const running = new Set<Promise<void>>() // handlers running in this process
  let closed = false

  const processor = async (job: Job, token?: string) => {
    const entry = handlers.get(job.name)
    if (!entry) {
      // Another process works this name: offer the job again shortly, without using up a try.
      await job.moveToDelayed(Date.now() + NO_HANDLER_DELAY_MS, token)
      throw new DelayedError()
    }
    await entry.slots.take()
    const info = { name: job.name, key: toKey(job.id!), attempt: job.attemptsMade + 1 }
    const run = Promise.resolve().then(() => entry.handler(job.data, info))
    running.add(run)
    try {
      await run
    } finally {
      running.delete(run)
      entry.slots.give()
    }
  }

  const startWorker = (concurrency: number) => {
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, retryStrategy })
    connection.on('error', (err) => log.debug({ err }, 'redis connection (worker) failed'))
    const w = new Worker(queueName, processor, {
      connection,
      prefix,
      concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
    })
    w.on('error', (err) => log.warn({ err }, 'job worker error'))
    w.on('failed', (job) => {
      if (job && typeof job.finishedOn === 'number') deadLetters.take(job)
    })
    deadLetters.sweep()
    const sweep = setInterval(deadLetters.sweep, options.sweepIntervalMs ?? 60_000).unref()
    return { worker: w, connection, sweep }
  }

  const stats = async (): Promise<QueueStats> => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed')
    const [oldest] = await queue.getJobs(['wait'], 0, 0, true)
    const since = oldest ? oldest.timestamp + (oldest.delay ?? 0) : null
    return {
      waiting: counts.waiting + counts.prioritized,
      active: counts.active,
      delayed: counts.delayed,
      lagMs: since === null ? null : Math.max(0, Date.now() - since),
    }
  }

  const isIdle = async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active')
    if (counts.waiting + counts.prioritized + counts.active > 0) return false
    if (deadLetters.pending() > 0) return false
    // Delayed scores are the due time × 4096 (plus a counter): is the earliest one due?
    const [, score] = await producer.zrange(queue.toKey('delayed'), 0, 0, 'WITHSCORES')
    return score === undefined || Math.floor(Number(score) / 4096) > Date.now()
  }

  return {
    kind: 'bullmq',
    async add(spec) {
      assertJobSpec(spec)
      if (closed) throw new Error('the queue is closed')
      const adding = queue.add(spec.name, spec.data ?? null, {
        jobId: toJobId(spec.key),
        delay: spec.delayMs,
        attempts: spec.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
        removeOnComplete: { age: DONE_KEY_SECONDS },
        removeOnFail: options.onDeadLetter ? false : { age: KEEP_FAILED_SECONDS },
      })
      await withTimeout(adding, addTimeoutMs, 'Redis did not take the job')
    },
    work(name, handler, { concurrency = 4 } = {}) {
      if (handlers.has(name)) throw new Error(`a handler for ${name} is already registered`)
      if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
        throw new Error(`concurrency must be a whole number, 1 or more (got ${concurrency})`)
      }
      if (closed) throw new Error('the queue is closed')
      handlers.set(name, { handler: handler as JobHandler, slots: createSlots(concurrency) })
      // One BullMQ worker takes any job; per-name slots keep each name within its concurrency.
      const total = [...handlers.values()].reduce((n, h) => n + h.slots.size, 0)
      if (worker) worker.worker.concurrency = total
      else worker = startWorker(total)
    },
    stats: () => withTimeout(stats(), addTimeoutMs, 'Redis did not answer'),
    async idle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs
      while (!closed && !(await isIdle())) {
        if (Date.now() > until) throw new Error(`the queue was not idle after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    async close() {
      if (closed) return
      closed = true
      // Stop taking jobs, let the running ones finish, then give Redis a bounded time to take
      // their results: a Redis that is away must not keep a process from shutting down.
      const stopping = worker ? worker.worker.close() : Promise.resolve()
      if (worker) clearInterval(worker.sweep)
      while (running.size > 0) await Promise.allSettled([...running])
      const rest = stopping.then(() => deadLetters.settled()).then(() => queue.close())
      await withTimeout(rest, CLOSE_GRACE_MS, 'Redis did not let the queue close').catch((err) =>
        log.warn({ err }, 'closed the job queue without Redis'),
      )
      producer.disconnect()
      worker?.connection.disconnect()
    },
  }
}

/**
 * Takes failed jobs off Redis into `onDeadLetter`. A Redis claim per job makes each one stored
 * once though the worker that failed it and every worker's periodic sweep (which finds jobs
 * failed by BullMQ itself, e.g. stalled too often, or whose storing failed) may all try.
 */
function createDeadLetterTaker(queue: Queue, redis: Redis, options: BullmqQueueOptions) {
  const log = options.log ?? silentLogger
  const running = new Set<Promise<void>>()
  const store = async (job: Job) => {
    // One claim per failed job, not per key: the key may be queued again once this one is gone.
    const claim = `${queue.toKey('dead-claim')}:${job.id}:${job.timestamp}`
    if ((await redis.set(claim, 'taking', 'PX', 5 * 60_000, 'NX')) !== 'OK') {
      // Stored already, but its removal failed: remove it now.
      if ((await redis.get(claim)) === 'stored') await queue.remove(job.id!)
      return
    }
    try {
      const error = job.failedReason || 'failed'
      const dead = { name: job.name, key: toKey(job.id!), data: job.data, error }
      await options.onDeadLetter!({ ...dead, attempts: Math.max(1, job.attemptsMade) })
    } catch (err) {
      await redis.del(claim)
      throw err
    }
    await redis.set(claim, 'stored', 'EX', DONE_KEY_SECONDS)
    await queue.remove(job.id!)
  }
  const take = (job: Job) => {
    if (!options.onDeadLetter) return
    const p = store(job)
      .catch((err) => log.error({ err, key: toKey(job.id!) }, 'could not store a dead letter'))
      .finally(() => running.delete(p))
    running.add(p)
  }
  return {
    take,
    sweep() {
      if (!options.onDeadLetter) return
      queue
        .getFailed(0, 99)
        .then((jobs) => jobs.forEach((job) => job && take(job as Job)))
        .catch((err) => log.debug({ err }, 'dead-letter sweep failed'))
    },
    pending: () => running.size,
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running])
    },
  }
}

/** Counting slots: `take` waits while `size` holders run. */
interface Slots {
  readonly size: number
  take(): Promise<void>
  give(): void
}

function createSlots(size: number): Slots {
  let used = 0
  const waiting: (() => void)[] = []
  return {
    size,
    async take() {
      if (used < size) {
        used++
        return
      }
      await new Promise<void>((resolve) => waiting.push(resolve))
    },
    give() {
      const next = waiting.shift()
      if (next) next()
      else used--
    },
  }
}

/**
 * A key as a BullMQ job id: BullMQ refuses ':' and ids that read as integers, so '%' and ':' are
 * escaped (the mapping is one-to-one: two keys never share an id) and `k-` goes first.
 */
export function toJobId(key: string): string {
  return `k-${key.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'))}`
}

/** The key a job id was made from (`toJobId` undone). */
export function toKey(jobId: string): string {
  return jobId.slice(2).replace(/%(25|3A)/g, (_, code) => (code === '25' ? '%' : ':'))
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)
  })
  promise.catch(() => {}) // a late failure after the timeout has nobody to tell
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}
