/**
 * A worker process for the worker-kill test: works `effect` jobs from BullMQ, each writing one
 * row through `runOnce` into PostgreSQL, and says on stdout what it does (`started n`,
 * `committed n`, `skipped n`) so the test knows when to kill it. Settings come from the
 * environment: DATABASE_URL, REDIS_URL, PREFIX, QUEUE, WORKER.
 */
import { sql } from 'drizzle-orm'
import { openDb } from '../../runtime/db'
import { createBullmqQueue, runOnce } from '../../runtime/jobs'

const env = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const say = (line: string) => process.stdout.write(`${line}\n`)

const worker = env('WORKER')
const db = await openDb({ url: env('DATABASE_URL'), max: 6 })
const queue = await createBullmqQueue({
  redisUrl: env('REDIS_URL'),
  prefix: env('PREFIX'),
  queueName: env('QUEUE'),
  // Short claims so the test sees a killed worker's jobs move within seconds (production: 30 s).
  lockDurationMs: 1500,
  stalledIntervalMs: 500,
})

queue.work(
  'effect',
  async (data: { n: number }) => {
    say(`started ${data.n}`)
    const result = await runOnce(db, `effect:${data.n}`, 'effect', async (tx) => {
      await tx.query(sql`insert into kill_effects (n, worker) values (${data.n}, ${worker})`)
      await sleep(150) // a kill here rolls the row and the key back together
    })
    say(`${result.done ? 'committed' : 'skipped'} ${data.n}`)
    await sleep(400) // a kill here leaves the effect done but the job unfinished in Redis
  },
  { concurrency: 4 },
)
say('ready')

process.on('SIGTERM', () => {
  void queue
    .close()
    .then(() => db.close())
    .then(() => process.exit(0))
})
