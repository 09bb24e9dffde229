import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { ResultRow } from '../lib/report'
import { startServer, type Started } from '../lib/servers'
import type { BenchEnv } from './bench-env'

const REMINDERS = 10_000
const LIMIT_S = 5
const WORKERS = 2
const TITLE = 'Bench reminder'
/** The reminders fall due this long after they are written, so writing them is not timed. */
const LEAD_MS = 2_000
/** The killed run waits this long at most for the killed worker's jobs to come back. */
const KILLED_RUN_LIMIT_MS = 180_000

interface Run {
  seconds: number
  delivered: number
  distinct: number
  fired: number
  killedAt: number | null
  /**
   * Fired timers per process that claimed them (`claimed_by` = host:pid; the bench's processes
   * are named): every Trellis process on the bench database polls the timers — the bench's own
   * server too (in-process queue) — and a stray one (another run, older code) shows up here.
   */
  claimedBy: Record<string, number>
}

/** Two `trellis worker` processes on the bench database and Redis, under their own prefix. */
function startWorkers(env: BenchEnv, redisUrl: string, prefix: string): Promise<Started[]> {
  return Promise.all(
    Array.from({ length: WORKERS }, (_, i) =>
      startServer({
        name: `Worker ${i + 1}`,
        args: ['bin/trellis.mjs', 'worker'],
        env: {
          DATABASE_URL: env.benchUrl,
          REDIS_URL: redisUrl,
          TRELLIS_REDIS_PREFIX: prefix,
          TRELLIS_JOB_CONCURRENCY: '16',
          LOG_LEVEL: 'warn',
        },
        port: 0,
        ready: /Trellis worker running/,
        timeoutMs: 60_000,
      }),
    ),
  )
}

async function clearReminders(env: BenchEnv): Promise<void> {
  await env.sql`delete from notifications where title like ${`${TITLE} %`}`
  await env.sql`delete from timers where kind = 'reminder' and key like 'bench8:%'`
}

async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

const countDelivered = async (env: BenchEnv) => {
  const [row] = await env.sql`select count(*)::int as n, count(distinct title)::int as d
    from notifications where title like ${`${TITLE} %`}`
  return { n: Number(row.n), d: Number(row.d) }
}

/** Fired timers per claiming process: `worker 1`, `worker 2`, `server`, else host:pid. */
async function countClaimedBy(env: BenchEnv, workers: Started[]): Promise<Record<string, number>> {
  const rows = await env.sql`select claimed_by, count(*)::int as n from timers
    where kind = 'reminder' and key like 'bench8:%' and fired_at is not null group by 1`
  const names = new Map(workers.map((w, i) => [String(w.pid), `worker ${i + 1}`]))
  if (env.trellis) names.set(String(env.trellis.pid), 'server')
  const byProcess: Record<string, number> = {}
  for (const row of rows) {
    const owner = String(row.claimed_by ?? 'unclaimed')
    byProcess[names.get(owner.split(':').at(-1) ?? '') ?? owner] = Number(row.n)
  }
  return byProcess
}

/**
 * 10,000 `reminder` timers for the bench's users fall due at one instant; two workers claim
 * them, queue them on BullMQ and fire each (an in-app notification keyed by the firing). Timed
 * from the due instant to the 10,000th notification. With `kill`, one worker is killed with
 * SIGKILL once 3,000 are out; the run then waits for the rest and counts.
 */
async function runReminders(env: BenchEnv, redisUrl: string, kill: boolean): Promise<Run> {
  await clearReminders(env)
  const prefix = `bench8-${randomBytes(4).toString('hex')}`
  const workers = await startWorkers(env, redisUrl, prefix)
  try {
    const [{ due }] = await env.sql`
      insert into timers (kind, key, due_at, payload)
      select 'reminder', 'bench8:' || g, now() + ${`${LEAD_MS} milliseconds`}::interval,
        jsonb_build_object('userId', u.ids[1 + g % array_length(u.ids, 1)], 'title', ${TITLE} || ' ' || g)
      from generate_series(1, ${REMINDERS}) g,
        (select array_agg(id order by username) as ids from users where not disabled) u
      returning due_at as due`
    const dueAt = new Date(due as string | Date).getTime()
    let killedAt: number | null = null
    const limit = dueAt + (kill ? KILLED_RUN_LIMIT_MS : 60_000)
    for (;;) {
      const { n } = await countDelivered(env)
      if (kill && killedAt === null && n >= 3_000) {
        process.kill(workers[0].pid, 'SIGKILL')
        killedAt = n
      }
      if (n >= REMINDERS || Date.now() > limit) break
      await new Promise((r) => setTimeout(r, 50))
    }
    const seconds = (Date.now() - dueAt) / 1000
    // Anything still running would show up as a second delivery: give it a moment.
    await new Promise((r) => setTimeout(r, 1000))
    const { n, d } = await countDelivered(env)
    const [{ fired }] = await env.sql`select count(*)::int as fired from timers
      where kind = 'reminder' and key like 'bench8:%' and fired_at is not null`
    const claimedBy = await countClaimedBy(env, workers)
    return { seconds, delivered: n, distinct: d, fired: Number(fired), killedAt, claimedBy }
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => {})))
    await deleteRedisPrefix(redisUrl, prefix)
    await clearReminders(env)
  }
}

/** Target 8: 10,000 due reminders end to end, and exactly 10,000 after a worker is killed. */
export async function remindersScenario(env: BenchEnv): Promise<ResultRow[]> {
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
  const timed = await runReminders(env, redisUrl, false)
  env.log(`  ${JSON.stringify(timed)}`)
  const killed = await runReminders(env, redisUrl, true)
  env.log(`  with a worker killed: ${JSON.stringify(killed)}`)
  const exact = (r: Run) => r.delivered === REMINDERS && r.distinct === REMINDERS
  return [
    {
      target: 8,
      scenario: `${REMINDERS.toLocaleString('en')} due reminders, ${WORKERS} workers (BullMQ)`,
      trellis: `${timed.seconds.toFixed(2)} s`,
      reference: '',
      ratio: `${timed.delivered.toLocaleString('en')} sent`,
      goal: `≤ ${LIMIT_S} s, exactly ${REMINDERS.toLocaleString('en')}`,
      p99: '',
      verdict: timed.seconds <= LIMIT_S && exact(timed) ? 'PASS' : 'MISS',
      details: { ...timed },
    },
    {
      target: 8,
      scenario: 'the same with one worker killed (SIGKILL) after 3,000',
      trellis: `${killed.seconds.toFixed(2)} s`,
      reference: '',
      ratio: `${killed.delivered.toLocaleString('en')} sent, ${killed.distinct.toLocaleString('en')} distinct`,
      goal: `exactly ${REMINDERS.toLocaleString('en')}, none twice`,
      p99: '',
      verdict: exact(killed) && killed.fired === REMINDERS ? 'PASS' : 'MISS',
      details: { ...killed },
    },
  ]
}
