import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { createBullmqQueue, type JobQueue } from '../../runtime/jobs'
import { testTargets } from '../support/databases'
import { deleteRedisPrefix } from '../support/redis-prefix'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
const queueName = 'kill'
const script = fileURLToPath(new URL('../support/jobs-kill-worker.ts', import.meta.url))
// Two processes share the database, which PGlite (one process) cannot do.
const postgres = testTargets().find((t) => t.name === 'postgres')

/** A worker child process and the lines it has written so far. */
interface Child {
  process: ChildProcess
  lines: string[]
}

function startWorker(url: string, name: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      PREFIX: prefix,
      QUEUE: queueName,
      WORKER: name,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
  return { process: child, lines }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe.runIf(postgres)('a BullMQ worker killed mid-job (PostgreSQL)', () => {
  let db: Db
  let url: string
  let close: () => Promise<void>
  let queue: JobQueue
  const children: Child[] = []
  beforeAll(async () => {
    const opened = await postgres!.open()
    ;({ db, close } = opened)
    url = opened.url!
    await db.query(sql`create table kill_effects (n int not null, worker text not null)`)
    queue = await createBullmqQueue({ redisUrl, prefix, queueName })
  })
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL')
    await queue?.close()
    await close?.()
    await deleteRedisPrefix(redisUrl, prefix)
  })

  it('has each effect happen exactly once after a second worker finishes its jobs', async () => {
    const jobs = 20
    const first = startWorker(url, 'first')
    children.push(first)
    await waitFor(() => first.lines.includes('ready'))
    for (let n = 0; n < jobs; n++) {
      await queue.add({ name: 'effect', key: `effect:${n}`, data: { n } })
    }
    // Kill the first worker the moment an effect is committed but its job not yet finished.
    await waitFor(() => first.lines.some((l) => l.startsWith('committed ')))
    const exited = once(first.process, 'exit')
    first.process.kill('SIGKILL')
    await exited
    const committed = first.lines.filter((l) => l.startsWith('committed ')).map((l) => l.slice(10))
    const unfinished = committed.at(-1)!

    const second = startWorker(url, 'second')
    children.push(second)
    await waitFor(async () => {
      const [{ count }] = await db.query<{ count: number }>(
        sql`select count(distinct n)::int as count from kill_effects`,
      )
      return count === jobs
    })
    await queue.idle(30_000)

    const rows = await db.query<{ n: number; times: number }>(
      sql`select n, count(*)::int as times from kill_effects group by n order by n`,
    )
    expect(rows).toEqual(Array.from({ length: jobs }, (_, n) => ({ n, times: 1 })))
    const [{ keys }] = await db.query<{ keys: number }>(
      sql`select count(*)::int as keys from job_effects where key like 'effect:%'`,
    )
    expect(keys).toBe(jobs)
    // The job killed after its commit ran again on the second worker, which skipped the effect.
    expect(second.lines).toContain(`skipped ${unfinished}`)
    expect(await queue.stats()).toMatchObject({ waiting: 0, active: 0, delayed: 0 })
    second.process.kill('SIGTERM')
    await once(second.process, 'exit')
  })
})
