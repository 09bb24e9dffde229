import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { BadRequestError, ConflictError, NotFoundError } from '../../runtime/errors'
import {
  createBullmqQueue,
  createInProcessQueue,
  listDeadLetters,
  retryDeadLetter,
  storeDeadLetter,
  toRetryKey,
  type JobInfo,
  type JobQueue,
  type QueueOptions,
} from '../../runtime/jobs'
import { testTargets, type TestTarget } from '../support/databases'
import { deleteRedisPrefix } from '../support/redis-prefix'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
let queueCount = 0
const queueKinds: [string, (options: QueueOptions) => JobQueue | Promise<JobQueue>][] = [
  ['in-process', (options) => createInProcessQueue(options)],
  [
    'BullMQ',
    (options) =>
      createBullmqQueue({ redisUrl, prefix, queueName: `dl${++queueCount}`, ...options }),
  ],
]
afterAll(() => deleteRedisPrefix(redisUrl, prefix))

describe.each(testTargets())('dead letters on $name', (target: TestTarget) => {
  let db: Db
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ db, close } = await target.open())
  })
  afterAll(() => close?.())

  const job = (key: string, error = 'boom') => ({
    name: 'timer',
    key,
    data: { id: key },
    error,
    attempts: 5,
  })

  it('stores a dead job and lists the open ones newest first', async () => {
    await db.query(sql`delete from dead_letters`)
    const first = await storeDeadLetter(db, job('a'))
    const second = await storeDeadLetter(db, job('b', 'x'.repeat(20_000)))
    const list = await listDeadLetters(db)
    expect(list.map((d) => d.key)).toEqual(['b', 'a'])
    expect(list[1]).toEqual({ ...first, retriedAt: null })
    expect(list[1]).toMatchObject({ name: 'timer', data: { id: 'a' }, error: 'boom', attempts: 5 })
    expect(second.error).toHaveLength(10_000)
    expect(await listDeadLetters(db, { limit: 1 })).toHaveLength(1)
  })

  it('refuses a bad limit or id, naming it', async () => {
    for (const limit of [0, -1, 1.5, 100_000]) {
      const err = await listDeadLetters(db, { limit }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BadRequestError)
      expect((err as BadRequestError).details[0].path).toBe('limit')
    }
    const queue = createInProcessQueue()
    for (const id of ['abc', '0', '-3', '1e3', 2.5]) {
      const err = await retryDeadLetter(db, queue, id).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BadRequestError)
      expect((err as BadRequestError).details[0].path).toBe('id')
    }
    await expect(retryDeadLetter(db, queue, 987_654)).rejects.toBeInstanceOf(NotFoundError)
    await queue.close()
  })

  it('derives a new key for each retry of a key', () => {
    expect(toRetryKey('timer:7')).toBe('timer:7#retry1')
    expect(toRetryKey('timer:7#retry1')).toBe('timer:7#retry2')
    expect(toRetryKey('timer:7#retry9')).toBe('timer:7#retry10')
    expect(toRetryKey('a#retryx')).toBe('a#retryx#retry1')
  })

  describe.each(queueKinds)('with the %s queue', (_, makeQueue) => {
    it('sends a failed job to the list, and a retry runs it again under a new key', async () => {
      let healthy = false
      const runs: JobInfo[] = []
      const queue = await makeQueue({
        backoffMs: 10,
        onDeadLetter: async (dead) => void (await storeDeadLetter(db, dead)),
      })
      try {
        queue.work('flaky', async (_, info) => {
          runs.push(info)
          if (!healthy) throw new Error('downstream is down')
        })
        const key = `flaky:${randomBytes(3).toString('hex')}`
        await queue.add({ name: 'flaky', key, data: { n: 1 }, attempts: 2 })
        const letter = await waitFor(async () =>
          (await listDeadLetters(db)).find((d) => d.key === key),
        )
        expect(letter).toMatchObject({ name: 'flaky', data: { n: 1 }, attempts: 2 })
        expect(letter.error).toBe('downstream is down')

        healthy = true
        const retried = await retryDeadLetter(db, queue, String(letter.id))
        expect(retried.retryKey).toBe(`${key}#retry1`)
        await waitFor(async () => runs.some((r) => r.key === `${key}#retry1`))
        await queue.idle(10_000)
        expect(runs.map((r) => r.key)).toEqual([key, key, `${key}#retry1`])
        expect((await listDeadLetters(db)).some((d) => d.id === letter.id)).toBe(false)
        const all = await listDeadLetters(db, { includeRetried: true })
        expect(all.find((d) => d.id === letter.id)?.retriedAt).toEqual(expect.any(String))

        const again = await retryDeadLetter(db, queue, letter.id).catch((e: unknown) => e)
        expect(again).toBeInstanceOf(ConflictError)
      } finally {
        await queue.close()
      }
    })

    it('retries a letter once when ten operators press retry together', async () => {
      const letter = await storeDeadLetter(db, job(`race:${randomBytes(3).toString('hex')}`))
      const ran: string[] = []
      const queue = await makeQueue({})
      try {
        queue.work('timer', async (_, info) => void ran.push(info.key))
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => retryDeadLetter(db, queue, letter.id)),
        )
        const ok = outcomes.filter((o) => o.status === 'fulfilled')
        const conflicts = outcomes.filter(
          (o) => o.status === 'rejected' && o.reason instanceof ConflictError,
        )
        expect([ok.length, conflicts.length]).toEqual([1, 9])
        await queue.idle(10_000)
        expect(ran).toEqual([`${letter.key}#retry1`])
      } finally {
        await queue.close()
      }
    })

    it('leaves the letter open when the queue refuses the job', async () => {
      const letter = await storeDeadLetter(db, job(`refused:${randomBytes(3).toString('hex')}`))
      const queue = await makeQueue({})
      await queue.close()
      await expect(retryDeadLetter(db, queue, letter.id)).rejects.toThrow(/closed/)
      const open = await listDeadLetters(db, { limit: 1000 })
      expect(open.find((d) => d.id === letter.id)?.retriedAt).toBeNull()
    })
  })
})

async function waitFor<T>(find: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const found = await find()
    if (found) return found
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
