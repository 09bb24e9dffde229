import { describe, expect, it } from 'vitest'
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

  it('works through 20,000 jobs promptly', async () => {
    const queue = createInProcessQueue()
    let done = 0
    queue.work('many', async () => void done++, { concurrency: 16 })
    const started = Date.now()
    for (let i = 0; i < 20_000; i++) await queue.add({ name: 'many', key: `m-${i}`, data: i })
    await queue.idle(20_000)
    expect(done).toBe(20_000)
    expect(Date.now() - started).toBeLessThan(5000)
    await queue.close()
  })

  it('refuses a second handler for one name', () => {
    const queue = createInProcessQueue()
    queue.work('one', async () => {})
    expect(() => queue.work('one', async () => {})).toThrow(/already registered/)
  })
})
