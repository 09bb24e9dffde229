import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { scheduleTimer } from '../../runtime/jobs/timers'
import { testTargets, type TestTarget } from '../support/databases'

const root = resolve(import.meta.dirname, '../..')
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const RECORD = '22222222-2222-4222-8222-222222222222'

function trellis(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['bin/trellis.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  })
  return { code: result.status, out: `${result.stdout}${result.stderr}` }
}

/** A database the CLI opens by its environment: a PGlite folder, or a PostgreSQL URL. */
interface CliDatabase {
  env: Record<string, string>
  /** Opens it from the test (PGlite: only while no CLI holds the folder). */
  open(): Promise<Db>
  done(db: Db): Promise<void>
  close(): Promise<void>
}

async function cliDatabase(target: TestTarget): Promise<CliDatabase> {
  if (target.name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-jobs-'))
    const first = await openDb({ dataDir: dir })
    await migratePlatform(first)
    await first.close()
    return {
      env: { TRELLIS_DATA_DIR: dir },
      open: () => openDb({ dataDir: dir }),
      done: (db) => db.close(),
      close: async () => {},
    }
  }
  const { db, url, close } = await target.open()
  return { env: { DATABASE_URL: url! }, open: async () => db, done: async () => {}, close }
}

async function addUser(db: Db): Promise<string> {
  const [{ id }] = await db.query<{ id: string }>(sql`
    insert into users (username, display_name, password_hash)
    values (${`u${randomBytes(4).toString('hex')}`}, 'Rep', 'x') returning id::text as id`)
  return id
}

const notificationsOf = (db: Db, userId: string) =>
  db.query<{ title: string; created_at: Date | string }>(
    sql`select title, created_at from notifications where user_id = ${userId}::uuid order by title`,
  )

describe.each(testTargets())('trellis jobs and worker on $name', (target) => {
  let cli: CliDatabase
  beforeAll(async () => {
    cli = await cliDatabase(target)
  })
  afterAll(() => cli?.close())

  it('fires with jobs run --now exactly what is due at that time, and each event once', async () => {
    const db = await cli.open()
    const userId = await addUser(db)
    const remind = (key: string, dueAt: string, recordId?: string) =>
      scheduleTimer(db, {
        kind: 'reminder',
        key,
        dueAt: new Date(dueAt),
        payload: { userId, title: `Call back ${key}` },
        ...(recordId ? { entity: 'task', recordId } : {}),
      })
    await remind('due', '2030-01-01T09:00:00Z')
    await remind('later', '2030-01-02T09:00:00Z')
    await remind('of-deleted', '2030-01-02T09:00:00Z', RECORD)
    await db.query(sql`insert into outbox (entity, record_id, event, payload)
      values ('task', ${RECORD}::uuid, 'deleted', '{"changes":{}}'::jsonb)`)
    await cli.done(db)

    const bad = trellis(['jobs', 'run', '--now', 'next tuesday'], cli.env)
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('--now must be an ISO date-time')

    const run = trellis(['jobs', 'run', '--now', '2030-01-01T10:00:00Z'], cli.env)
    expect(run.out).toMatch(/event \d+: task 2{8}-2{4}-4222-8222-2{12} deleted/)
    expect(run.out).toMatch(/timer \d+: reminder due 2030-01-01T09:00:00.000Z/)
    expect(run.out).toContain('Ran 1 event(s) and 1 timer(s) due by 2030-01-01T10:00:00.000Z.')
    expect(run.code).toBe(0)
    const again = trellis(['jobs', 'run', '--now', '2030-01-01T10:00:00Z'], cli.env)
    expect(again.out).toContain('Ran 0 event(s) and 0 timer(s)')

    const next = trellis(['jobs', 'run', '--now', '2030-01-03T00:00:00Z'], cli.env)
    expect(next.out).toContain('Ran 0 event(s) and 1 timer(s)') // the deleted task's went with it
    const after = await cli.open()
    const got = await notificationsOf(after, userId)
    expect(got.map((n) => [n.title, new Date(n.created_at).toISOString()])).toEqual([
      ['Call back due', '2030-01-01T10:00:00.000Z'],
      ['Call back later', '2030-01-03T00:00:00.000Z'],
    ])
    await cli.done(after)

    const list = trellis(['jobs', 'list'], cli.env)
    expect(list.out).toContain('Timers due and not fired: 0')
    expect(list.out).toContain('Events not delivered: 0')
    expect(list.code).toBe(0)
  }, 240_000)

  it('explains each jobs command with --help', () => {
    const jobs = trellis(['jobs', '--help'], cli.env)
    expect(jobs.out).toContain('jobs run --now <time>')
    expect(jobs.code).toBe(0)
    const worker = trellis(['worker', '--help'], cli.env)
    expect(worker.out).toContain('REDIS_URL')
    expect(worker.code).toBe(0)
  })

  if (target.name === 'pglite') {
    it('refuses to start a worker on the embedded database', () => {
      const { code, out } = trellis(['worker'], { ...cli.env, REDIS_URL })
      expect(code).toBe(1)
      expect(out).toContain('the embedded PGlite database belongs to the server process')
    })
    return
  }

  it('runs a worker in its own process that handles what another process writes', async () => {
    const prefix = `trellis-test-${randomBytes(4).toString('hex')}`
    const child = spawn(process.execPath, ['bin/trellis.mjs', 'worker'], {
      cwd: root,
      env: {
        ...process.env,
        ...cli.env,
        REDIS_URL,
        TRELLIS_REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    try {
      const db = await cli.open()
      const userId = await addUser(db)
      // A record another process deleted: its timer must go with it.
      const recordId = '33333333-3333-4333-8333-333333333333'
      await scheduleTimer(db, {
        ...{ kind: 'reminder', key: 'of-deleted', dueAt: new Date('2099-01-01T00:00:00Z') },
        ...{ entity: 'task', recordId, payload: { userId, title: 'never' } },
      })
      const [{ id }] = await db.query<{ id: string }>(sql`
        insert into outbox (entity, record_id, event, payload)
        values ('task', ${recordId}::uuid, 'deleted', '{"changes":{}}'::jsonb)
        returning id::text as id`)
      await scheduleTimer(db, {
        kind: 'reminder',
        key: 'now',
        dueAt: new Date(Date.now() - 1000),
        payload: { userId, title: 'From the worker' },
      })
      const until = Date.now() + 60_000
      const handled = async () => {
        const effects = await db.query(
          sql`select 1 from job_effects where key = ${`outbox:${id}:record-timers`}`,
        )
        return effects.length === 1 && (await notificationsOf(db, userId)).length === 1
      }
      while (!(await handled())) {
        if (Date.now() > until) throw new Error(`the worker handled nothing: ${output}`)
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(output).toContain('Trellis worker running (queue bullmq')
      const left = await db.query(sql`select 1 from timers where key = 'of-deleted'`)
      expect(left).toEqual([])
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
      const redis = new Redis(REDIS_URL)
      const keys = await redis.keys(`${prefix}:*`)
      if (keys.length) await redis.del(...keys)
      redis.disconnect()
    }
  }, 120_000)
})
