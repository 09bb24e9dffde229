import { afterEach, describe, expect, it } from 'vitest'
import { BadRequestError } from '../errors'
import type { DeadJob, JobInfo, JobQueue, QueueOptions } from './queue'

/** Makes a fresh, empty queue for one test (its own namespace on a shared Redis). */
export type QueueFactory = (options: QueueOptions) => JobQueue | Promise<JobQueue>

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A promise with its resolve function at hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** Resolves once `check` holds, polling; rejects after `ms`. */
async function until(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(10)
  }
}

/**
 * Registers the behaviour every `JobQueue` must show, so one suite runs against each
 * implementation (house style: one shared suite per port).
 * @example describeQueueConformance('in-process', (options) => createInProcessQueue(options))
 */
export function describeQueueConformance(label: string, factory: QueueFactory): void {
  describe(`the ${label} job queue`, () => {
    const open: JobQueue[] = []
    const make = async (options: QueueOptions = {}) => {
      const queue = await factory({ backoffMs: 50, ...options })
      open.push(queue)
      return queue
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()))
    })

    it('runs a job with its data, name, key and first attempt', async () => {
      const queue = await make()
      const seen: [unknown, JobInfo][] = []
      queue.work('echo', async (data, job) => void seen.push([data, job]))
      const data = { text: '你好', n: 3, nested: { list: [1, null, 'x'] } }
      await queue.add({ name: 'echo', key: 'echo-1', data })
      await queue.idle(10_000)
      expect(seen).toEqual([[data, { name: 'echo', key: 'echo-1', attempt: 1 }]])
    })

    it('ignores a duplicate key while the job waits and after it is done', async () => {
      const queue = await make()
      const runs: unknown[] = []
      await queue.add({ name: 'once', key: 'dup', data: 1 })
      await queue.add({ name: 'once', key: 'dup', data: 2 })
      queue.work('once', async (data) => void runs.push(data))
      await queue.idle(10_000)
      await queue.add({ name: 'once', key: 'dup', data: 3 })
      await queue.add({ name: 'once', key: 'other', data: 4 })
      await queue.idle(10_000)
      expect(runs).toEqual([1, 4])
    })

    it('keeps keys apart that differ only in separators, escapes or digits', async () => {
      const queue = await make()
      const keys = ['a:b', 'a%3Ab', 'a%b', '42', 'a:b:c', 'k-a', ' ']
      const seen: string[] = []
      queue.work('k', async (_, job) => void seen.push(job.key))
      for (const key of keys) await queue.add({ name: 'k', key, data: null })
      await queue.idle(10_000)
      expect(seen.sort()).toEqual([...keys].sort())
    })

    it('does not start a delayed job before its delay', async () => {
      const queue = await make()
      const started = deferred<number>()
      queue.work('later', async () => started.resolve(Date.now()))
      const addedAt = Date.now()
      await queue.add({ name: 'later', key: 'later-1', data: null, delayMs: 600 })
      await sleep(250)
      expect(await queue.stats()).toMatchObject({ delayed: 1, waiting: 0, active: 0 })
      const at = await started.promise
      expect(at - addedAt).toBeGreaterThanOrEqual(590)
      expect(at - addedAt).toBeLessThan(5000)
    })

    it('retries a failing job with exponential backoff until it succeeds', async () => {
      const queue = await make({ backoffMs: 150 })
      const tries: { attempt: number; at: number }[] = []
      const done = deferred()
      queue.work('flaky', async (_, job) => {
        tries.push({ attempt: job.attempt, at: Date.now() })
        if (job.attempt < 3) throw new Error(`try ${job.attempt} failed`)
        done.resolve()
      })
      await queue.add({ name: 'flaky', key: 'flaky-1', data: null, attempts: 3 })
      await done.promise
      expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3])
      expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(145)
      expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(295)
    })

    it('hands a job that failed its last try to onDeadLetter with the error text', async () => {
      const dead: DeadJob[] = []
      const queue = await make({ onDeadLetter: async (job) => void dead.push(job) })
      let runs = 0
      queue.work('doomed', async (data: { n: number }) => {
        runs++
        throw new Error(`boom ${data.n}`)
      })
      await queue.add({ name: 'doomed', key: 'doomed-1', data: { n: 42 }, attempts: 2 })
      await until(() => dead.length > 0)
      await queue.idle(10_000)
      expect(runs).toBe(2)
      expect(dead).toEqual([
        { name: 'doomed', key: 'doomed-1', data: { n: 42 }, error: 'boom 42', attempts: 2 },
      ])
      // A dead job gives its key back: the same key can be queued again.
      await queue.add({ name: 'doomed', key: 'doomed-1', data: { n: 43 }, attempts: 1 })
      await until(() => dead.length > 1)
      expect(dead[1]).toMatchObject({ key: 'doomed-1', error: 'boom 43', attempts: 1 })
    })

    it('runs no more jobs of a name at once than its concurrency', async () => {
      const queue = await make()
      let running = 0
      let most = 0
      let finished = 0
      queue.work(
        'slow',
        async () => {
          running++
          most = Math.max(most, running)
          await sleep(60)
          running--
          finished++
        },
        { concurrency: 2 },
      )
      for (let i = 0; i < 8; i++) await queue.add({ name: 'slow', key: `slow-${i}`, data: i })
      await queue.idle(10_000)
      expect(finished).toBe(8)
      expect(most).toBe(2)
    })

    it('is idle only once running jobs have finished, and says so when it waits too long', async () => {
      const queue = await make()
      const release = deferred()
      let finished = 0
      queue.work('held', async () => {
        await release.promise
        finished++
      })
      await queue.add({ name: 'held', key: 'held-1', data: null })
      await queue.add({ name: 'held', key: 'held-2', data: null })
      await expect(queue.idle(300)).rejects.toThrow(/not idle/)
      release.resolve()
      await queue.idle(10_000)
      expect(finished).toBe(2)
    })

    it('counts waiting, active and delayed jobs and the age of the oldest waiting one', async () => {
      const queue = await make()
      expect(await queue.stats()).toEqual({ waiting: 0, active: 0, delayed: 0, lagMs: null })
      for (let i = 0; i < 3; i++) await queue.add({ name: 'count', key: `c-${i}`, data: i })
      await queue.add({ name: 'count', key: 'c-later', data: 9, delayMs: 60_000 })
      await sleep(200)
      const waiting = await queue.stats()
      expect(waiting).toMatchObject({ waiting: 3, active: 0, delayed: 1 })
      expect(waiting.lagMs).toBeGreaterThanOrEqual(190)
      const release = deferred()
      let started = 0
      queue.work(
        'count',
        async () => {
          started++
          await release.promise
        },
        { concurrency: 2 },
      )
      await until(() => started === 2)
      expect(await queue.stats()).toMatchObject({ waiting: 1, active: 2, delayed: 1 })
      release.resolve()
      await queue.idle(10_000)
      expect(await queue.stats()).toEqual({ waiting: 0, active: 0, delayed: 1, lagMs: null })
    })

    it('refuses a job with a bad field, naming it, and queues nothing', async () => {
      const queue = await make()
      const bad = [
        [{ name: '', key: 'k', data: null }, 'name'],
        [{ name: 'n', key: '', data: null }, 'key'],
        [{ name: 'n', key: 'k', data: null, delayMs: -5 }, 'delayMs'],
        [{ name: 'n', key: 'k', data: null, attempts: 0 }, 'attempts'],
        [{ name: 'n', key: 'k', data: { n: 10n } }, 'data'],
      ] as const
      for (const [spec, path] of bad) {
        const err = await queue.add(spec).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(BadRequestError)
        expect((err as BadRequestError).details.map((d) => d.path)).toEqual([path])
      }
      expect(await queue.stats()).toMatchObject({ waiting: 0, delayed: 0 })
    })

    it('refuses new jobs once closed', async () => {
      const queue = await make()
      await queue.close()
      await expect(queue.add({ name: 'x', key: 'x', data: null })).rejects.toThrow(/closed/)
    })
  })
}
