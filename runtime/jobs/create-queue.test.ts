import { describe, expect, it } from 'vitest'
import { createQueue } from './create-queue'

describe('createQueue', () => {
  it('makes the in-process queue when no Redis URL is given', async () => {
    const queue = await createQueue({ redisUrl: '' })
    expect(queue.kind).toBe('in-process')
    await queue.close()
  })

  it('makes a BullMQ queue when a Redis URL is given', async () => {
    const queue = await createQueue({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: 'trellis-test-cq',
    })
    expect(queue.kind).toBe('bullmq')
    await queue.close()
  })
})
