import { describe, expect, it, vi } from 'vitest'
import { createInProcessQueue } from './in-process-queue'
import { describeQueueConformance } from './queue-conformance'

describeQueueConformance('in-process', (options) => createInProcessQueue(options))

describe('the in-process queue', () => {
  it('goes on after onDeadLetter fails, and tells the log', async () => {
    const logged: unknown[] = []
    const log = { info() {}, warn() {}, debug() {}, error: (obj: unknown) => void logged.push(obj) }
    const queue = createInProcessQueue({
      backoffMs: 10,
      log,
      onDeadLetter: async () => {
        throw new Error('database away')
      },
    })
    let ran = 0
    queue.work('fails', async () => {
      throw new Error('no')
    })
    queue.work('works', async () => void ran++)
    await queue.add({ name: 'fails', key: 'f', data: null, attempts: 1 })
    await queue.add({ name: 'works', key: 'w', data: null })
    await queue.idle(5000)
    expect(ran).toBe(1)
    expect(logged).toHaveLength(1)
    await queue.close()
  })

  it('does not dead-letter a job that fails while the queue closes', async () => {
    const dead: unknown[] = []
    const queue = createInProcessQueue({ onDeadLetter: async (job) => void dead.push(job) })
    let fail!: () => void
    queue.work(
      'closing',
      () => new Promise<void>((_, reject) => (fail = () => reject(new Error('x')))),
    )
    await queue.add({ name: 'closing', key: 'c', data: null, attempts: 3 })
    await new Promise((r) => setTimeout(r, 20))
    const closing = queue.close()
    fail()
    await closing
    expect(dead).toEqual([])
  })

  it('works through 20,000 jobs, each once', async () => {
    const queue = createInProcessQueue()
    const seen = new Set<number>()
    let done = 0
    queue.work('many', async (n: number) => void (done++, seen.add(n)), { concurrency: 16 })
    for (let i = 0; i < 20_000; i++) await queue.add({ name: 'many', key: `m-${i}`, data: i })
    await queue.idle(20_000)
    expect(done).toBe(20_000)
    expect(seen.size).toBe(20_000)
    await queue.close()
  })

  it('runs a retry whose timer fired before Date.now() reached its time', async () => {
    vi.useFakeTimers()
    try {
      const queue = createInProcessQueue({ backoffMs: 50 })
      let runs = 0
      queue.work('flaky', async () => {
        runs++
        if (runs === 1) throw new Error('first try fails')
      })
      await queue.add({ name: 'flaky', key: 'early', data: null, attempts: 2 })
      await vi.advanceTimersByTimeAsync(0)
      expect(runs).toBe(1)
      // Timers keep their own clock: the retry's timer fires while Date.now() is 5 ms short.
      vi.setSystemTime(Date.now() - 5)
      await vi.advanceTimersByTimeAsync(50)
      await vi.advanceTimersByTimeAsync(10)
      expect(runs).toBe(2)
      await queue.close()
    } finally {
      vi.useRealTimers()
    }
  })

  it('refuses a second handler for one name', () => {
    const queue = createInProcessQueue()
    queue.work('one', async () => {})
    expect(() => queue.work('one', async () => {})).toThrow(/already registered/)
  })
})
