import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock, systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import { publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import { IMPORT_BUNDLE } from './import-fixture'

const ROOT = new URL('../../', import.meta.url).pathname
const postgres = testTargets().find((t) => t.name === 'postgres')
const ROWS = 1500

/** The import command's arguments: quotes (no de-duplication rule: a row imported twice would stay). */
const args = (file: string) => [
  'bin/trellis.mjs',
  'import',
  'quote',
  file,
  '--as',
  'admin',
  '--batch',
  '100',
]

describe.runIf(postgres)('an import killed with SIGKILL mid-file (PostgreSQL)', () => {
  let db: Db
  let url: string
  let close: () => Promise<void>
  let file: string

  beforeAll(async () => {
    const opened = await postgres!.open()
    ;({ db, close } = opened)
    url = opened.url!
    await publishMetadata(
      { db, user: SYSTEM_USER, clock: fixedClock(systemClock.now()), log: silentLogger },
      IMPORT_BUNDLE,
    )
    await createUser(
      { db },
      { username: 'admin', password: 'admin-password-1', displayName: 'Admin', isAdmin: true },
    )
    const lines = ['Title,Tags']
    for (let i = 1; i <= ROWS; i++) lines.push(`Quote ${i},Hot`)
    file = join(mkdtempSync(join(tmpdir(), 'trellis-import-kill-')), 'quotes.csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
  })
  afterAll(async () => close?.())

  const progress = async () =>
    await db.query<{ id: string; status: string; rows_done: number }>(
      sql`select id::text as id, status, rows_done from import_jobs`,
    )
  const quotes = async () =>
    (
      await db.query<{ n: number; distinct_titles: number }>(
        sql`select count(*)::int as n, count(distinct title)::int as distinct_titles from app.quote`,
      )
    )[0]

  it('resumes after the last committed batch and imports every row exactly once', async () => {
    const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }
    const child = spawn(process.execPath, args(file), { cwd: ROOT, env, stdio: 'ignore' })
    const exited = once(child, 'exit')
    const deadline = Date.now() + 90_000
    for (;;) {
      const [job] = await progress()
      if (job && job.rows_done >= 200) break
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error('the import never got going')
      await new Promise((r) => setTimeout(r, 50))
    }
    child.kill('SIGKILL')
    await exited
    const [killed] = await progress()
    expect(killed.status).toBe('running')
    expect(killed.rows_done).toBeLessThan(ROWS)
    // Whatever committed is exactly the rows the job counts: batch and progress share a transaction.
    expect((await quotes()).n).toBe(killed.rows_done)

    const rerun = spawnSync(process.execPath, args(file), {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 180_000,
    })
    expect(rerun.stderr.includes('Error') ? rerun.stderr : '').toBe('')
    expect(rerun.status).toBe(0)
    expect(rerun.stdout).toContain(`run ${killed.id}`)
    expect(await progress()).toEqual([{ id: killed.id, status: 'done', rows_done: ROWS }])
    expect(await quotes()).toEqual({ n: ROWS, distinct_titles: ROWS })
  }, 240_000)
})
