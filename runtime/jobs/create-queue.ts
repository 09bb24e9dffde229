import { createBullmqQueue, type BullmqQueueOptions } from './bullmq-queue'
import { createInProcessQueue } from './in-process-queue'
import type { JobQueue, QueueOptions } from './queue'

export interface CreateQueueOptions extends QueueOptions, Partial<BullmqQueueOptions> {
  /** redis://…: BullMQ on that Redis. Without it, the in-process queue (one process only). */
  redisUrl?: string
}

/**
 * The job queue a Trellis process uses: BullMQ when a Redis URL is given (production, any number
 * of processes), else the in-process queue of the embedded default.
 * @example const queue = await createQueue({ redisUrl: process.env.REDIS_URL, onDeadLetter })
 */
export async function createQueue(options: CreateQueueOptions = {}): Promise<JobQueue> {
  const { redisUrl, ...rest } = options
  if (redisUrl) return createBullmqQueue({ ...rest, redisUrl })
  return createInProcessQueue(rest)
}
