import { silentLogger } from '../context'
import {
  assertJobSpec,
  DEFAULT_ATTEMPTS,
  DONE_KEY_SECONDS,
  type JobHandler,
  type JobQueue,
  type JobSpec,
  type QueueOptions,
  type QueueStats,
} from './queue'

interface Entry {
  spec: JobSpec
  attempt: number
  /** Epoch ms from which the job may start. */
  runAt: number
}

interface Worker {
  handler: JobHandler
  concurrency: number
  running: number
}

/**
 * The in-process queue of the embedded default (and of unit tests): jobs live in this process's
 * memory, so it suits one process only; durability comes from the rows that produced the jobs
 * (outbox and timers are claimed again after a crash). Retries back off exponentially; a job
 * that fails its last try goes to `onDeadLetter`. A finished job's key refuses duplicates for a
 * day (`DONE_KEY_SECONDS`), as on BullMQ.
 * @example const queue = createInProcessQueue({ onDeadLetter: (job) => storeDeadLetter(db, job) })
 */
export function createInProcessQueue(options: QueueOptions = {}): JobQueue {
  const backoffMs = options.backoffMs ?? 1000
  const log = options.log ?? silentLogger
  const workers = new Map<string, Worker>()
  const ready = new Map<string, Entry[]>() // per name, in the order they became due
  let delayed: Entry[] = []
  const keys = new Map<string, number>() // key → until when it refuses duplicates (epoch ms)
  let nextKeySweep = 0
  let active = 0
  let closed = false
  let timer: NodeJS.Timeout | null = null
  const waiters = new Set<() => void>()

  let nextRunAt = Infinity // the earliest `runAt` among the delayed jobs

  const waitingCount = () => [...ready.values()].reduce((n, list) => n + list.length, 0)
  const isIdle = () => active === 0 && waitingCount() === 0 && nextRunAt > Date.now()
  const settle = () => {
    if (!isIdle()) return
    for (const resolve of waiters) resolve()
    waiters.clear()
  }

  const pushReady = (entry: Entry) => {
    const list = ready.get(entry.spec.name)
    if (list) list.push(entry)
    else ready.set(entry.spec.name, [entry])
  }

  const pushDelayed = (entry: Entry) => {
    delayed.push(entry)
    if (entry.runAt < nextRunAt) arm(entry.runAt)
  }

  const arm = (at: number) => {
    nextRunAt = at
    if (timer) clearTimeout(timer)
    timer = null
    if (!closed && Number.isFinite(at)) {
      timer = setTimeout(
        () => {
          timer = null
          pump()
        },
        Math.max(0, at - Date.now()),
      )
    }
  }

  // Moves due delayed jobs to their ready lists, in due order, and arms the timer for the next.
  const promote = () => {
    const now = Date.now()
    if (nextRunAt > now) {
      // Node's timers keep their own clock: one can fire a millisecond before Date.now() reaches
      // its time, and a job left without a timer would wait for the next add or idle().
      if (!timer) arm(nextRunAt)
      return
    }
    const due = delayed.filter((e) => e.runAt <= now).sort((a, b) => a.runAt - b.runAt)
    delayed = delayed.filter((e) => e.runAt > now)
    for (const entry of due) pushReady(entry)
    let next = Infinity
    for (const e of delayed) if (e.runAt < next) next = e.runAt
    arm(next)
  }

  const pump = () => {
    promote()
    for (const [name, list] of ready) {
      const worker = workers.get(name)
      while (worker && !closed && list.length > 0 && worker.running < worker.concurrency) {
        void run(list.shift()!, worker)
      }
      if (list.length === 0) ready.delete(name)
    }
    settle()
  }

  const run = async (entry: Entry, worker: Worker) => {
    const { spec } = entry
    worker.running++
    active++
    try {
      await worker.handler(spec.data, { name: spec.name, key: spec.key, attempt: entry.attempt })
      keys.set(spec.key, Date.now() + DONE_KEY_SECONDS * 1000)
    } catch (err) {
      await failed(entry, err)
    } finally {
      worker.running--
      active--
      pump()
    }
  }

  const failed = async (entry: Entry, err: unknown) => {
    const { spec } = entry
    if (closed) return // a closing queue drops its jobs; the rows that made them remain
    if (entry.attempt < (spec.attempts ?? DEFAULT_ATTEMPTS)) {
      const delay = backoffMs * 2 ** (entry.attempt - 1)
      pushDelayed({ ...entry, attempt: entry.attempt + 1, runAt: Date.now() + delay })
      return
    }
    keys.delete(spec.key)
    const error = err instanceof Error ? err.message : String(err)
    try {
      await options.onDeadLetter?.({ ...spec, error, attempts: entry.attempt })
    } catch (storeErr) {
      log.error({ err: storeErr, job: spec.name, key: spec.key }, 'could not store a dead letter')
    }
  }

  // Finished keys expire; sweeping them now and then keeps the map from growing without end.
  const sweepKeys = (now: number) => {
    if (now < nextKeySweep) return
    nextKeySweep = now + 60_000
    for (const [key, until] of keys) if (until <= now) keys.delete(key)
  }

  return {
    kind: 'in-process',
    async add(input) {
      assertJobSpec(input)
      if (closed) throw new Error('the queue is closed')
      const now = Date.now()
      sweepKeys(now)
      const held = keys.get(input.key)
      if (held !== undefined && held > now) return
      keys.set(input.key, Number.MAX_SAFE_INTEGER)
      // Data goes through JSON as it does on BullMQ, so job code sees the same values on both.
      const spec = { ...input, data: JSON.parse(JSON.stringify(input.data ?? null)) as unknown }
      const entry = { spec, attempt: 1, runAt: now + (spec.delayMs ?? 0) }
      if (entry.runAt > now) pushDelayed(entry)
      else pushReady(entry)
      queueMicrotask(pump)
    },
    work(name, handler, { concurrency = 4 } = {}) {
      if (workers.has(name)) throw new Error(`a handler for ${name} is already registered`)
      if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
        throw new Error(`concurrency must be a whole number, 1 or more (got ${concurrency})`)
      }
      workers.set(name, { handler: handler as JobHandler, concurrency, running: 0 })
      queueMicrotask(pump)
    },
    async stats(): Promise<QueueStats> {
      const now = Date.now()
      let oldest = Infinity
      let waiting = 0
      for (const list of ready.values()) {
        waiting += list.length
        if (list.length > 0 && list[0].runAt < oldest) oldest = list[0].runAt
      }
      let dueDelayed = 0 // due but not yet promoted by a pump
      if (nextRunAt <= now) {
        for (const e of delayed) {
          if (e.runAt > now) continue
          dueDelayed++
          if (e.runAt < oldest) oldest = e.runAt
        }
      }
      return {
        waiting: waiting + dueDelayed,
        active,
        delayed: delayed.length - dueDelayed,
        lagMs: Number.isFinite(oldest) ? now - oldest : null,
      }
    },
    idle(timeoutMs = 30_000) {
      if (isIdle() || closed) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const done = () => (clearTimeout(limit), resolve())
        const limit = setTimeout(() => {
          waiters.delete(done)
          reject(new Error(`the queue was not idle after ${timeoutMs} ms`))
        }, timeoutMs)
        waiters.add(done)
        queueMicrotask(pump) // a delayed job may have fallen due since the last pump
      })
    },
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      timer = null
      while (active > 0) await new Promise((r) => setTimeout(r, 10))
      for (const resolve of waiters) resolve()
      waiters.clear()
    },
  }
}
