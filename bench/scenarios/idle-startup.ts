import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callJson } from '../lib/api'
import type { ResultRow } from '../lib/report'
import { runTrellisCli, tail } from '../lib/run-cli'
import { rssMb, startServer, type Started } from '../lib/servers'
import { BENCH_USER } from '../seed/install-modules'
import type { BenchEnv } from './bench-env'

const RSS_LIMIT_MB = 200
const START_LIMIT_S = 2

/** A few ordinary requests (sign-in, navigation, a list, a record), then a second of quiet. */
export async function touch(server: Started, token?: string): Promise<string> {
  const session =
    token ??
    (
      await callJson<{ token: string }>(`${server.url}/api/auth/login`, {
        method: 'POST',
        body: BENCH_USER,
      })
    ).token
  await callJson(`${server.url}/api/meta/packages`, { token: session })
  const list = await callJson<{ data: { id: string }[] }>(
    `${server.url}/api/data/customer?limit=20`,
    { token: session },
  )
  if (list.data[0])
    await callJson(`${server.url}/api/data/customer/${list.data[0].id}?related=true`, {
      token: session,
    })
  await new Promise((r) => setTimeout(r, 1000))
  return session
}

/**
 * Target 9 on the default deployment (PGlite in a data folder): install the four modules and a
 * user with the CLI, start once, stop, then time the second start (spawn → listening line) and
 * read its RSS after a few requests. `pgIdleRss` is the PostgreSQL-backed server's RSS measured
 * the same way before any load.
 */
export async function idleStartupScenario(
  env: BenchEnv,
  pgIdleRss: number,
  port: number,
): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-'))
  const cliEnv = {
    DATABASE_URL: '',
    TRELLIS_DATA_DIR: dir,
    TRELLIS_DEMO: 'false',
    LOG_LEVEL: 'warn',
  }
  try {
    for (const args of [
      ['apply', '--dir', 'seeds'],
      [
        'user',
        'create',
        '--username',
        BENCH_USER.username,
        '--password',
        BENCH_USER.password,
        '--admin',
      ],
    ]) {
      const out = await runTrellisCli(args, cliEnv)
      if (out.code !== 0)
        throw new Error(`trellis ${args[0]} on PGlite failed:\n${tail(out.stderr + out.stdout)}`)
    }
    const start = () =>
      startServer({
        name: 'Trellis (PGlite)',
        args: ['bin/trellis.mjs', 'start'],
        env: cliEnv,
        port,
        ready: /Trellis listening on/,
        timeoutMs: 120_000,
      })
    const first = await start()
    env.log(`  PGlite first start: ${(first.startMs / 1000).toFixed(2)} s`)
    await first.stop()
    const second = await start()
    const startS = second.startMs / 1000
    await touch(second)
    const rss = rssMb(second.pid)
    await second.stop()
    env.log(`  PGlite second start: ${startS.toFixed(2)} s, RSS ${rss.toFixed(0)} MB`)
    const rssRow = (scenario: string, mb: number): ResultRow => ({
      target: 9,
      scenario,
      trellis: `${mb.toFixed(0)} MB`,
      reference: '',
      ratio: '',
      goal: `≤ ${RSS_LIMIT_MB} MB`,
      p99: '',
      verdict: mb <= RSS_LIMIT_MB ? 'PASS' : 'MISS',
      details: { rssMb: mb },
    })
    return [
      rssRow('idle RSS, PGlite, 4 modules', rss),
      ...(Number.isFinite(pgIdleRss) ? [rssRow('idle RSS, PostgreSQL, 4 modules', pgIdleRss)] : []),
      {
        target: 9,
        scenario: 'start on existing PGlite folder',
        trellis: `${startS.toFixed(2)} s`,
        reference: '',
        ratio: '',
        goal: `≤ ${START_LIMIT_S} s`,
        p99: '',
        verdict: startS <= START_LIMIT_S ? 'PASS' : 'MISS',
        details: { firstStartS: first.startMs / 1000, secondStartS: startS },
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
