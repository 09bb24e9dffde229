import { spawnSync } from 'node:child_process'
// Trellis against the hand-written baseline, side by side in one run. See bench/README.md.
// Run: npm run bench -- --rows 100000 --duration 3 --rounds 3 [--only 1,create]
import { benchToken } from './lib/api'
import { parseBenchArgs, SCENARIOS, selected, type BenchArgs, type ScenarioName } from './lib/args'
import { openSql } from './lib/database'
import { errorRow } from './scenarios/compare'
import { importScenario } from './scenarios/import'
import { remindersScenario } from './scenarios/reminders'
import { reportScenario } from './scenarios/report'
import { formatTable, writeResults, type ResultRow } from './lib/report'
import { rssMb, startServer, type Started } from './lib/servers'
import { BENCH_USER, ensureSeeded } from './seed-customers'
import type { BenchEnv, Scenario } from './scenarios/bench-env'
import { createScenario } from './scenarios/create'
import { getRelatedScenario } from './scenarios/get-related'
import { idleStartupScenario, touch } from './scenarios/idle-startup'
import { listScenario } from './scenarios/list'
import { metadataApplyScenario } from './scenarios/metadata-apply'
import { middlewareScenario } from './scenarios/middleware'
import { permissionsScenario } from './scenarios/permissions'
import { searchScenario } from './scenarios/search'
import { transitionScenario } from './scenarios/transition'
import { updateScenario } from './scenarios/update'

// The references take the two ports after Trellis', so two benches can run side by side.
const TRELLIS_PORT = Number(process.env.BENCH_TRELLIS_PORT ?? 3301)
const PORTS = { trellis: TRELLIS_PORT, baseline: TRELLIS_PORT + 1, bare: TRELLIS_PORT + 2 }
const log = (line: string) => console.log(line)

/** `--cpu-prof` flags when BENCH_PROFILE names a folder (Trellis and the baseline profile there). */
const profileFlags = () =>
  process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []

/** The two references; they must start, or nothing can be measured. */
function startReferences(benchUrl: string): Promise<[Started, Started]> {
  return Promise.all([
    startServer({
      name: 'Baseline',
      args: [...profileFlags(), '--import', 'tsx', 'bench/baseline/server.ts'],
      env: { DATABASE_URL: benchUrl },
      port: PORTS.baseline,
      ready: /Baseline listening on/,
    }),
    startServer({
      name: 'Bare Hono',
      args: ['--import', 'tsx', 'bench/baseline/bare-hono.ts'],
      env: {},
      port: PORTS.bare,
      ready: /Bare Hono listening on/,
    }),
  ])
}

/** Trellis on the bench database, or null (its output printed) when it does not start. */
async function startTrellis(benchUrl: string): Promise<Started | null> {
  try {
    const env = { DATABASE_URL: benchUrl, LOG_LEVEL: 'warn', TRELLIS_DEMO: 'false' }
    return await startServer({
      name: 'Trellis',
      // BENCH_PROFILE=<dir>: Trellis writes a V8 CPU profile there when the bench stops it.
      args: [...profileFlags(), 'bin/trellis.mjs', 'start'],
      env,
      port: PORTS.trellis,
      ready: /Trellis listening on/,
      timeoutMs: 120_000,
    })
  } catch (err) {
    log(
      `\n!! ${(err as Error).message}\n!! Measuring the references alone; every Trellis cell reads ERROR.\n`,
    )
    return null
  }
}

const THROUGHPUT: [ScenarioName, string, Scenario][] = [
  ['middleware', 'middleware', middlewareScenario],
  ['list', 'list', listScenario],
  ['permissions', 'list with permission scopes (rep, director, admin)', permissionsScenario],
  ['get', 'get with related', getRelatedScenario],
  ['create', 'create', createScenario],
  ['update', 'update', updateScenario],
  ['search', 'search (selective and non-selective text)', searchScenario],
  ['transition', 'transition starting an approval', transitionScenario],
]

/** Removes what the write scenarios added, so the next run starts from the same table. */
async function cleanUp(env: BenchEnv, startedAt: Date): Promise<void> {
  const { sql } = env
  const [{ n }] =
    await sql`with d as (delete from app.customer where created_at >= ${startedAt} returning 1) select count(*)::int as n from d`
  await sql`delete from audit_log where at >= ${startedAt}`
  await sql`delete from outbox where created_at >= ${startedAt}`
  log(`Removed ${n} customers created by the run (and its audit/outbox rows)`)
}

async function main(args: BenchArgs): Promise<number> {
  const startedAt = new Date()
  log(
    `Trellis bench: ${args.rows.toLocaleString('en')} rows, ${args.duration} s × ${args.rounds} rounds, ${args.connections} connections`,
  )
  // Trellis runs as `npm start` runs it: the bundled server and the built workspace.
  const prepared = spawnSync(process.execPath, ['bin/prepare.mjs'], { stdio: 'inherit' })
  if (prepared.status !== 0) throw new Error('bin/prepare.mjs failed')
  const seed = await ensureSeeded(args.rows, log)
  const sql = openSql(seed.benchUrl, 2)
  const rows: ResultRow[] = []
  let servers: Started[] = []
  try {
    const [baseline, bare] = await startReferences(seed.benchUrl)
    servers = [baseline, bare]
    const trellis = await startTrellis(seed.benchUrl)
    if (trellis) {
      servers.push(trellis)
      log(
        `Trellis started in ${(trellis.startMs / 1000).toFixed(2)} s (pid ${trellis.pid}); baseline pid ${baseline.pid}`,
      )
    }
    const { token, via } = await benchToken(sql, trellis?.url ?? null, BENCH_USER)
    log(`Signed in as ${BENCH_USER.username} (${via})`)
    let pgIdleRss = Number.NaN
    if (trellis) {
      await touch(trellis, token)
      pgIdleRss = rssMb(trellis.pid)
    }
    const env: BenchEnv = {
      args,
      sql,
      benchUrl: seed.benchUrl,
      token,
      trellis,
      baseline,
      bare,
      log,
    }
    for (const [key, name, scenario] of THROUGHPUT) {
      if (!selected(args, key)) continue
      const target = SCENARIOS[key]
      log(`\n[${target}] ${name}`)
      try {
        rows.push(...(await scenario(env)))
      } catch (err) {
        log(`  failed: ${(err as Error).message}`)
        rows.push(errorRow(target, name, err))
      }
    }
    if (selected(args, 'metadata')) {
      log('\n[11] metadata plan + apply')
      rows.push(
        ...(await metadataApplyScenario(env).catch((err: unknown) => [
          errorRow(11, 'metadata plan + apply', err),
        ])),
      )
    }
    if (selected(args, 'report')) {
      log('\n[6] report group-by')
      rows.push(
        ...(await reportScenario(env).catch((err: unknown) => [
          errorRow(6, 'report group-by', err),
        ])),
      )
    }
    if (selected(args, 'import')) {
      log('\n[7] CSV import with validation and de-duplication')
      rows.push(
        ...(await importScenario(env).catch((err: unknown) => [
          errorRow(7, 'CSV import (upsert)', err),
        ])),
      )
    }
    if (selected(args, 'reminders')) {
      log('\n[8] due reminders')
      rows.push(
        ...(await remindersScenario(env).catch((err: unknown) => [
          errorRow(8, 'due reminders', err),
        ])),
      )
    }
    if (selected(args, 'idle')) {
      // A start is timed on a quiet machine: the servers measured so far stop first (Trellis on
      // PostgreSQL would still be working through the events of the runs' writes).
      await Promise.all(servers.map((s) => s.stop()))
      servers = []
      log('\n[9] idle RSS and startup')
      rows.push(
        ...(await idleStartupScenario(env, pgIdleRss, PORTS.trellis + 10).catch((err: unknown) => [
          errorRow(9, 'idle RSS / startup', err),
        ])),
      )
    }
    if (selected(args, 'create') || selected(args, 'update')) await cleanUp(env, startedAt)
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    await sql.end()
  }
  log(`\n${formatTable(rows)}`)
  const file = writeResults({ startedAt, args: { ...args, only: [...args.only] }, seed, rows })
  log(`\nResults: ${file}`)
  for (const row of rows.filter((r) => r.verdict === 'ERROR'))
    log(`ERROR [${row.target}] ${row.scenario}: ${JSON.stringify(row.details)}`.slice(0, 2000))
  return rows.some((r) => r.verdict === 'ERROR') ? 1 : 0
}

main(parseBenchArgs(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`\nBench failed: ${err.message}`)
    process.exit(1)
  },
)
