import {
  DEFAULT_ATTEMPTS,
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

/** How long a finished job's key keeps refusing duplicates (BullMQ keeps completed jobs too). */
const DONE_KEY_MS = 24 * 60 * 60 * 1000

/**
 * The in-process queue of the embedded default (and of unit tests): jobs live in this process's
 * memory, so it suits one process only; durability comes from the rows that produced the jobs
 * (outbox and timers are claimed again after a crash). Retries back off exponentially; a job
 * that fails its last try goes to `onDeadLetter`.
 * @example const queue = createInProcessQueue({ onDeadLetter: (job) => storeDeadLetter(db, job) })
 */
export function createInProcessQueue(options: QueueOptions = {}): JobQueue {
  const backoffMs = options.backoffMs ?? 1000
  const handlers = new Map<string, { handler: JobHandler; concurrency: number; running: number }>()
  const pending: Entry[] = []
  const keys = new Map<string, number>() // key → expiry (epoch ms), MAX while not done
  let active = 0
  let closed = false
  let timer: NodeJS.Timeout | null = null
  const waiters = new Set<() => void>()

  const isIdle = () => active === 0 && !pending.some((e) => e.runAt <= Date.now())
  const settle = () => {
    if (!isIdle()) return
    for (const resolve of waiters) resolve()
    waiters.clear()
  }

  const schedule = () => {
    if (closed) return
    if (timer) clearTimeout(timer)
    timer = null
    const next = Math.min(...pending.map((e) => e.runAt))
    if (Number.isFinite(next)) timer = setTimeout(pump, Math.max(0, next - Date.now()))
  }

  const pump = () => {
    timer = null
    const now = Date.now()
    for (let i = 0; i < pending.length && !closed;) {
      const entry = pending[i]
      const worker = handlers.get(entry.spec.name)
      if (entry.runAt > now || !worker || worker.running >= worker.concurrency) {
        i++
        continue
      }
      pending.splice(i, 1)
      void run(entry, worker)
    }
    schedule()
    settle()
  }

  const run = async (
    entry: Entry,
    worker: { handler: JobHandler; concurrency: number; running: number },
  ) => {
    const { spec } = entry
    worker.running++
    active++
    try {
      await worker.handler(spec.data, { name: spec.name, key: spec.key, attempt: entry.attempt })
      keys.set(spec.key, Date.now() + DONE_KEY_MS)
    } catch (err) {
      const attempts = spec.attempts ?? DEFAULT_ATTEMPTS
      if (entry.attempt < attempts && !closed) {
        const delay = backoffMs * 2 ** (entry.attempt - 1)
        pending.push({ ...entry, attempt: entry.attempt + 1, runAt: Date.now() + delay })
      } else {
        keys.delete(spec.key)
        const error = err instanceof Error ? err.message : String(err)
        await options.onDeadLetter?.({ ...spec, error, attempts: entry.attempt })
      }
    } finally {
      worker.running--
      active--
      pump()
    }
  }

  return {
    kind: 'in-process',
    async add(spec) {
      if (closed) throw new Error('the queue is closed')
      const now = Date.now()
      const held = keys.get(spec.key)
      if (held !== undefined && held > now) return
      keys.set(spec.key, Number.MAX_SAFE_INTEGER)
      pending.push({ spec, attempt: 1, runAt: now + (spec.delayMs ?? 0) })
      queueMicrotask(pump)
    },
    work(name, handler, { concurrency = 4 } = {}) {
      handlers.set(name, { handler: handler as JobHandler, concurrency, running: 0 })
      queueMicrotask(pump)
    },
    async stats(): Promise<QueueStats> {
      const now = Date.now()
      const due = pending.filter((e) => e.runAt <= now)
      const oldest = Math.min(...due.map((e) => e.runAt))
      return {
        waiting: due.length,
        active,
        delayed: pending.length - due.length,
        lagMs: Number.isFinite(oldest) ? now - oldest : null,
      }
    },
    idle(timeoutMs = 30_000) {
      if (isIdle()) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const done = () => (clearTimeout(limit), resolve())
        const limit = setTimeout(() => {
          waiters.delete(done)
          reject(new Error(`the queue was not idle after ${timeoutMs} ms`))
        }, timeoutMs)
        waiters.add(done)
      })
    },
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      while (active > 0) await new Promise((r) => setTimeout(r, 10))
      settle()
    },
  }
}
