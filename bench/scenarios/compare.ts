import { startCpuCount, type CpuPerRequest } from '../lib/cpu'
import { runLoad, unexpectedStatus, type LoadResult, type LoadSpec } from '../lib/load'
import { fmtRatio, fmtRps, type ResultRow } from '../lib/report'
import { median, roundOrder } from '../lib/stats'
import type { BenchEnv } from './bench-env'

/** One side of a comparison: a name and the load it sends (made fresh for every run). */
export interface Side {
  name: string
  spec: () => LoadSpec | Promise<LoadSpec>
  /** Status codes that are normal answers (default 200 and 201). */
  expected?: number[]
  /** The side's server process: each run then counts its CPU and the database's per request. */
  pid?: number
}

/** One run's numbers, with the CPU it cost when the side names its process. */
export type RunResult = LoadResult & { cpu?: CpuPerRequest }

/**
 * Waits until no other session of the bench database is running a query (at most 60 s), so
 * requests a run left in flight do not slow the next side down.
 */
export async function settle(env: BenchEnv): Promise<void> {
  const deadline = Date.now() + 60_000
  let quiet = 0
  while (quiet < 2 && Date.now() < deadline) {
    const [{ n }] = await env.sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
        and backend_type = 'client backend'`
    quiet = Number(n) === 0 ? quiet + 1 : 0
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Medians over the rounds of one side, plus the raw rounds. */
export interface SideStats {
  rps: number
  p99: number
  rounds: RunResult[]
  unexpected: Record<string, number>
  /** Median CPU ms per request of the server and of the database, when counted. */
  cpu?: CpuPerRequest
}

/**
 * Runs the sides alternately (ABBA order across rounds) after a warm-up each (`--warmup`), and answers the
 * median req/s and median p99 of each side. Status codes outside `expected` are summed per side.
 */
export async function compareSides(
  env: BenchEnv,
  label: string,
  all: Side[],
): Promise<Record<string, SideStats>> {
  const { connections, duration, rounds, warmup } = env.args
  const sides = env.trellis ? all : all.filter((s) => s.name !== 'trellis')
  const runs = new Map<string, RunResult[]>(sides.map((s) => [s.name, []]))
  for (const side of sides) {
    await runLoad(await side.spec(), connections, warmup)
    await settle(env)
  }
  for (let round = 0; round < rounds; round++) {
    for (const side of roundOrder(sides, round)) {
      const spec = await side.spec()
      const counted = side.pid ? await startCpuCount(env.sql, side.pid) : null
      const result: RunResult = await runLoad(spec, connections, duration)
      if (counted) result.cpu = await counted(result.requests)
      await settle(env)
      runs.get(side.name)!.push(result)
      const timeouts = result.timeouts ? ` ${result.timeouts} timeouts` : ''
      env.log(
        `  ${label} · ${side.name} round ${round + 1}: ${fmtRps(result.rps)} p99 ${result.p99} ms ${JSON.stringify(result.status)}${timeouts}${fmtCpu(result.cpu)}`,
      )
    }
  }
  const out: Record<string, SideStats> = {}
  for (const side of sides) {
    const results = runs.get(side.name)!
    const unexpected: Record<string, number> = {}
    for (const r of results) {
      for (const [code, n] of Object.entries(unexpectedStatus(r, side.expected ?? [200, 201]))) {
        unexpected[code] = (unexpected[code] ?? 0) + n
      }
      if (r.errors) unexpected.socketErrors = (unexpected.socketErrors ?? 0) + r.errors
    }
    const counted = results.flatMap((r) => (r.cpu ? [r.cpu] : []))
    out[side.name] = {
      rps: median(results.map((r) => r.rps)),
      p99: median(results.map((r) => r.p99)),
      rounds: results,
      unexpected,
      cpu: counted.length
        ? {
            server: median(counted.map((c) => c.server)),
            database: median(counted.map((c) => c.database)),
          }
        : undefined,
    }
  }
  return out
}

/** `, cpu 2.10 + 2.20 ms/req (server + database)`, or nothing when not counted. */
export function fmtCpu(cpu: CpuPerRequest | undefined): string {
  if (!cpu) return ''
  // Three decimals below a millisecond: a cheap route's 0.04 and 0.05 would otherwise look alike.
  const ms = (v: number) => v.toFixed(v < 1 ? 3 : 2)
  return `, cpu ${ms(cpu.server)} + ${ms(cpu.database)} ms/req (server + database)`
}

/**
 * A table row comparing Trellis with a reference: PASS when the throughput ratio reaches
 * `minRatio` (and p99 stays within `maxP99Factor` × the reference's, when given); ERROR when either
 * side answered unexpected status codes; INFO when there is no goal.
 */
export function throughputRow(opts: {
  target: number
  scenario: string
  trellis: SideStats | undefined
  reference: SideStats
  referenceName: string
  minRatio?: number
  maxP99Factor?: number
  details?: Record<string, unknown>
}): ResultRow {
  const { reference } = opts
  const trellis = opts.trellis ?? {
    rps: Number.NaN,
    p99: Number.NaN,
    rounds: [],
    unexpected: { notRunning: 1 },
  }
  const ratio = trellis.rps / reference.rps
  const p99Ok = opts.maxP99Factor === undefined || trellis.p99 <= opts.maxP99Factor * reference.p99
  const broken =
    Object.keys(trellis.unexpected).length > 0 || Object.keys(reference.unexpected).length > 0
  const goal =
    opts.minRatio === undefined
      ? 'info'
      : `≥ ${opts.minRatio}×${opts.maxP99Factor ? `, p99 ≤ ${opts.maxP99Factor}×` : ''}`
  let verdict: ResultRow['verdict'] = 'INFO'
  if (broken) verdict = 'ERROR'
  else if (opts.minRatio !== undefined) verdict = ratio >= opts.minRatio && p99Ok ? 'PASS' : 'MISS'
  return {
    target: opts.target,
    scenario: opts.scenario,
    trellis: fmtRps(trellis.rps),
    reference: `${fmtRps(reference.rps)} ${opts.referenceName}`,
    ratio: fmtRatio(ratio),
    goal,
    p99: `${trellis.p99} / ${reference.p99}`,
    verdict,
    details: {
      ratio,
      trellis: {
        rps: trellis.rps,
        p99: trellis.p99,
        cpu: trellis.cpu,
        unexpected: trellis.unexpected,
        rounds: trellis.rounds,
      },
      reference: {
        rps: reference.rps,
        p99: reference.p99,
        cpu: reference.cpu,
        unexpected: reference.unexpected,
        rounds: reference.rounds,
      },
      ...opts.details,
    },
  }
}

/** A row for a scenario that could not run, naming why. */
export function errorRow(target: number, scenario: string, err: unknown): ResultRow {
  const message = err instanceof Error ? err.message : String(err)
  return {
    target,
    scenario,
    trellis: '—',
    reference: '—',
    ratio: '—',
    goal: '',
    p99: '',
    verdict: 'ERROR',
    details: { error: message },
  }
}

/** The base URL of Trellis (empty when it is not running: its sides are then skipped). */
export function trellisUrl(env: BenchEnv): string {
  return env.trellis?.url ?? ''
}
