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

/**
 * The import command's arguments. Quotes have child rows, so they go row by row, and no
 * de-duplication rule (a row imported twice would stay); customers go set-based (the bulk path)
 * and carry a block rule on the name (a row imported twice would be refused).
 */
const args = (entity: string, file: string) => [
  'bin/trellis.mjs',
  'import',
  entity,
  file,
  '--as',
  'admin',
  '--batch',
  '100',
]

const CASES = [
  {
    entity: 'quote',
    path: 'row by row',
    rows: 1500,
    // No tags: the import fixture refuses a tagged quote without a customer.
    header: 'Title',
    line: (i: number) => `Quote ${i}`,
  },
  {
    entity: 'customer',
    path: 'in bulk',
    // Many more rows: the bulk path must still be mid-file when the test kills it.
    rows: 30_000,
    header: 'Name,Employees',
    line: (i: number) => `Customer ${i},${i}`,
  },
]

describe.runIf(postgres)('an import killed with SIGKILL mid-file (PostgreSQL)', () => {
  let db: Db
  let url: string
  let close: () => Promise<void>
  const files = new Map<string, string>()

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
    const dir = mkdtempSync(join(tmpdir(), 'trellis-import-kill-'))
    for (const { entity, header, line, rows } of CASES) {
      const lines = [header]
      for (let i = 1; i <= rows; i++) lines.push(line(i))
      const file = join(dir, `${entity}.csv`)
      writeFileSync(file, `${lines.join('\n')}\n`)
      files.set(entity, file)
    }
  })
  afterAll(async () => close?.())

  const progress = async (entity: string) =>
    await db.query<{ id: string; status: string; rows_done: number; failed: number }>(
      sql`select id::text as id, status, rows_done, failed from import_jobs where entity = ${entity}`,
    )
  const records = async (entity: string) => {
    const title = sql.identifier(entity === 'quote' ? 'title' : 'name')
    const table = sql`${sql.identifier('app')}.${sql.identifier(entity)}`
    const [row] = await db.query<{ n: number; distinct_titles: number }>(
      sql`select count(*)::int as n, count(distinct ${title})::int as distinct_titles from ${table}`,
    )
    return row
  }

  it.each(CASES)(
    'resumes a $entity import ($path) after the last committed batch and imports every row exactly once',
    async ({ entity, rows: ROWS }) => {
      const file = files.get(entity)!
      const jobOf = () => progress(entity)
      const written = () => records(entity)
      const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }
      const child = spawn(process.execPath, args(entity, file), { cwd: ROOT, env, stdio: 'ignore' })
      const exited = once(child, 'exit')
      const deadline = Date.now() + 90_000
      for (;;) {
        const [job] = await jobOf()
        if (job && job.rows_done >= 200) break
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error('the import never got going')
        await new Promise((r) => setTimeout(r, 50))
      }
      child.kill('SIGKILL')
      await exited
      const [killed] = await jobOf()
      expect(killed.status).toBe('running')
      expect(killed.rows_done).toBeLessThan(ROWS)
      // Whatever committed is exactly the rows the job counts: batch and progress share a transaction.
      expect((await written()).n).toBe(killed.rows_done)

      const rerun = spawnSync(process.execPath, args(entity, file), {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 180_000,
      })
      expect(rerun.stderr.includes('Error') ? rerun.stderr : '').toBe('')
      expect(rerun.status).toBe(0)
      expect(rerun.stdout).toContain(`run ${killed.id}`)
      // Nothing refused: a row written twice would have been a duplicate of itself for customers.
      expect(await jobOf()).toEqual([{ id: killed.id, status: 'done', rows_done: ROWS, failed: 0 }])
      expect(await written()).toEqual({ n: ROWS, distinct_titles: ROWS })
    },
    240_000,
  )
})
