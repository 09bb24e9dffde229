/**
 * The job queue port. Two implementations run the same job code: BullMQ on Redis when
 * `REDIS_URL` is set (any number of processes), and an in-process queue otherwise (the embedded
 * default, one process). A job is a registered name plus JSON data; its `key` makes adding it
 * idempotent, and effects inside a handler carry their own keys (`runOnce`), so a retried or
 * re-delivered job changes nothing twice.
 */
import type { Logger } from '../context'
import { BadRequestError } from '../errors'

/** A job to run: what, with which data, under which idempotency key. */
export interface JobSpec<T = unknown> {
  /** The handler's registered name, e.g. `event` or `timer`. */
  name: string
  data: T
  /**
   * Idempotency key: while a job with this key is waiting, running or recently done, adding
   * another with the same key does nothing.
   */
  key: string
  /** Not before this many milliseconds from now. */
  delayMs?: number
  /** Tries before the job goes to the dead-letter list (default `DEFAULT_ATTEMPTS`). */
  attempts?: number
}

/** What a handler learns about the job it runs. */
export interface JobInfo {
  name: string
  key: string
  /** 1 on the first try. */
  attempt: number
}

export type JobHandler<T = unknown> = (data: T, job: JobInfo) => Promise<void>

/** A job that failed every try, as the queue hands it to `onDeadLetter`. */
export interface DeadJob {
  name: string
  key: string
  data: unknown
  error: string
  attempts: number
}

/** Counts for operators and `/api/health`. */
export interface QueueStats {
  waiting: number
  active: number
  delayed: number
  /** Age in ms of the oldest job waiting to start (queue lag), null when none waits. */
  lagMs: number | null
}

export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq'
  /** Adds a job (a duplicate key is a no-op). Resolves once the job is stored. */
  add<T>(job: JobSpec<T>): Promise<void>
  /** Runs jobs of `name` in this process, up to `concurrency` at once (default 4). */
  work<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }): void
  stats(): Promise<QueueStats>
  /** Resolves when nothing is waiting, delayed-and-due or running (tests, `jobs run --now`). */
  idle(timeoutMs?: number): Promise<void>
  /** Stops taking jobs, waits for running ones, releases connections. */
  close(): Promise<void>
}

/** Options every implementation takes. */
export interface QueueOptions {
  /** Called once per job that failed its last try (the caller stores it in `dead_letters`). */
  onDeadLetter?: (job: DeadJob) => Promise<void>
  /** Wait before try n+1 is `backoffMs * 2^(n-1)` (default 1000). */
  backoffMs?: number
  /** Told what no caller can be told: a dead letter that could not be stored, a lost connection. */
  log?: Logger
}

export const DEFAULT_ATTEMPTS = 5

/** How long a finished job's key keeps refusing duplicates, on both queues (a day). */
export const DONE_KEY_SECONDS = 24 * 60 * 60

/**
 * Throws a `BadRequestError` naming the field when a job cannot be queued: an empty name or key,
 * a delay or try count that is not a whole number in range, data that is not JSON.
 * @example assertJobSpec({ name: 'timer', key: 'timer:42', data: { id: 42 } })
 */
export function assertJobSpec(spec: JobSpec): void {
  const bad = (path: string, message: string) => {
    throw new BadRequestError(`Invalid job: ${path} ${message}`, [{ path, message }])
  }
  if (typeof spec.name !== 'string' || spec.name === '') bad('name', 'must be a non-empty string')
  if (typeof spec.key !== 'string' || spec.key === '') bad('key', 'must be a non-empty string')
  if (spec.delayMs !== undefined && !(Number.isSafeInteger(spec.delayMs) && spec.delayMs >= 0)) {
    bad('delayMs', 'must be a whole number of milliseconds, 0 or more')
  }
  if (spec.attempts !== undefined && !(Number.isSafeInteger(spec.attempts) && spec.attempts >= 1)) {
    bad('attempts', 'must be a whole number, 1 or more')
  }
  try {
    JSON.stringify(spec.data)
  } catch (err) {
    bad('data', `must be JSON (${err instanceof Error ? err.message : String(err)})`)
  }
}
