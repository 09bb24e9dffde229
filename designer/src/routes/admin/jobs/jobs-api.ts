import { api } from '$lib/api/client'

/** Queue counts; null when the server runs no queue or it did not answer. */
export interface QueueStats {
  waiting: number
  active: number
  delayed: number
  lagMs: number | null
}

/** A job that failed every try. */
export interface DeadLetter {
  id: number
  name: string
  key: string
  error: string
  attempts: number
  failedAt: string
  retriedAt: string | null
}

/** A timer due and not fired. */
export interface OverdueTimer {
  kind: string
  key: string
  dueAt: string
  attempts: number
}

/** `GET /api/admin/jobs`. */
export interface JobsOverview {
  queue: { kind: 'in-process' | 'bullmq' | null; stats: QueueStats | null }
  timers: { due: number; overdue: OverdueTimer[] }
  outbox: { undelivered: number; oldestMs: number | null }
  deadLetters: { open: number; data: DeadLetter[]; next: string | null }
}

const JOBS = '/api/admin/jobs'

/** The engine's state with the newest dead letters, or the page older than `before`. */
export function loadJobsOverview(before?: string): Promise<JobsOverview> {
  return api<JobsOverview>(JOBS, { query: { limit: 20, before } })
}

/** Queues a dead letter's job again; answers the letter, now retried. */
export function retryDeadLetter(id: number): Promise<DeadLetter & { retryKey: string }> {
  return api(`${JOBS}/dead-letters/${id}/retry`, { method: 'POST' })
}
