import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createBullmqQueue, type BullmqQueueOptions } from '../../runtime/jobs/bullmq-queue'
import type { DeadJob, JobQueue } from '../../runtime/jobs/queue'
import { describeQueueConformance } from '../../runtime/jobs/queue-conformance'
import { startPrivateRedis } from '../support/private-redis'
import { deleteRedisPrefix } from '../support/redis-prefix'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
let queues = 0
const fresh = (options: Partial<BullmqQueueOptions> = {}) =>
  createBullmqQueue({ redisUrl, prefix, queueName: `q${++queues}`, ...options })

afterAll(() => deleteRedisPrefix(redisUrl, prefix))

describeQueueConformance('BullMQ', (options) => fresh(options))

describe('the BullMQ queue', () => {
  const open: JobQueue[] = []
  const track = (queue: JobQueue) => (open.push(queue), queue)
  afterAll(async () => {
    await Promise.all(open.map((q) => q.close()))
  })

  it('removes a dead job from Redis once onDeadLetter has it', async () => {
    const dead: DeadJob[] = []
    const queueName = `q${++queues}`
    const queue = track(
      await createBullmqQueue({
        redisUrl,
        prefix,
        queueName,
        backoffMs: 10,
        onDeadLetter: async (job) => void dead.push(job),
      }),
    )
    queue.work('doomed', async () => {
      throw new Error('always')
    })
    await queue.add({ name: 'doomed', key: 'dead:1', data: { a: 1 }, attempts: 2 })
    await waitFor(() => dead.length === 1)
    await queue.idle(5000)
    const redis = new Redis(redisUrl)
    try {
      expect(await redis.zcard(`${prefix}:${queueName}:failed`)).toBe(0)
      expect(await redis.exists(`${prefix}:${queueName}:k-dead%3A1`)).toBe(0)
    } finally {
      redis.disconnect()
    }
    expect(dead).toEqual([
      { name: 'doomed', key: 'dead:1', data: { a: 1 }, error: 'always', attempts: 2 },
    ])
  })

  it('dead-letters a job that failed while no one stored it, once, from any worker', async () => {
    const queueName = `q${++queues}`
    // A queue without onDeadLetter keeps the failed job in Redis…
    const first = track(await createBullmqQueue({ redisUrl, prefix, queueName, backoffMs: 10 }))
    let failed = false
    first.work('gone', async () => {
      failed = true
      throw new Error('left behind')
    })
    await first.add({ name: 'gone', key: 'gone-1', data: 7, attempts: 1 })
    await waitFor(() => failed)
    await first.close()
    // …and the sweeps of two later workers hand it over exactly once.
    const dead: DeadJob[] = []
    const onDeadLetter = async (job: DeadJob) => void dead.push(job)
    for (let i = 0; i < 2; i++) {
      const later = track(await createBullmqQueue({ redisUrl, prefix, queueName, onDeadLetter }))
      later.work('gone', async () => {})
    }
    await waitFor(() => dead.length > 0)
    await new Promise((r) => setTimeout(r, 300))
    expect(dead).toEqual([
      { name: 'gone', key: 'gone-1', data: 7, error: 'left behind', attempts: 1 },
    ])
  })

  it('gives each job to a process that has its handler', async () => {
    const queueName = `q${++queues}`
    const a = track(await createBullmqQueue({ redisUrl, prefix, queueName }))
    const b = track(await createBullmqQueue({ redisUrl, prefix, queueName }))
    const ran: string[] = []
    a.work('only-a', async (_, job) => void ran.push(`a:${job.key}`), { concurrency: 1 })
    b.work('only-b', async (_, job) => void ran.push(`b:${job.key}`), { concurrency: 1 })
    for (let i = 0; i < 4; i++) {
      await a.add({ name: 'only-a', key: `x${i}`, data: null })
      await a.add({ name: 'only-b', key: `y${i}`, data: null })
    }
    // A job the taking process has no handler for waits 1 s and is offered again, to whichever
    // process fetches first: how many rounds that takes is chance, so the bound is generous.
    await waitFor(() => ran.length === 8, 45_000)
    expect(ran.filter((r) => r.startsWith('a:')).sort()).toEqual(['a:x0', 'a:x1', 'a:x2', 'a:x3'])
    expect(ran.filter((r) => r.startsWith('b:')).sort()).toEqual(['b:y0', 'b:y1', 'b:y2', 'b:y3'])
  })

  it('rejects an add within a few seconds when Redis cannot be reached, and still closes', async () => {
    const queue = await createBullmqQueue({
      redisUrl: 'redis://127.0.0.1:1',
      prefix,
      addTimeoutMs: 1500,
    })
    queue.work('x', async () => {})
    const started = Date.now()
    await expect(queue.add({ name: 'x', key: 'x', data: null })).rejects.toThrow(/Redis/)
    expect(Date.now() - started).toBeLessThan(3000)
    await queue.close()
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('rejects adds while Redis is down and works again, unattended, once it is back', async () => {
    const redis = await startPrivateRedis()
    const url = `redis://127.0.0.1:${redis.port}`
    const queue = await createBullmqQueue({ redisUrl: url, prefix, addTimeoutMs: 1500 })
    try {
      const ran: string[] = []
      queue.work('ping', async (_, job) => void ran.push(job.key))
      await queue.add({ name: 'ping', key: 'before', data: null })
      await waitFor(() => ran.length === 1)

      await redis.stop()
      const started = Date.now()
      await expect(queue.add({ name: 'ping', key: 'during', data: null })).rejects.toThrow()
      expect(Date.now() - started).toBeLessThan(3000)

      await redis.start()
      // The producer reconnects by itself: the outbox's retry would add the job again.
      await waitFor(async () => {
        try {
          await queue.add({ name: 'ping', key: 'after', data: null })
          return true
        } catch {
          return false
        }
      }, 20_000)
      await waitFor(() => ran.includes('after'), 20_000)
      expect(ran).toEqual(['before', 'after'])
    } finally {
      await queue.close()
      await redis.stop()
    }
  })
})

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
