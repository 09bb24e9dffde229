import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Report } from '../../metadata/report'
import { systemClock } from '../../runtime/clock'
import { silentLogger, type Ctx } from '../../runtime/context'
import { openDb } from '../../runtime/db'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from '../../runtime/identity'
import { loadPublishedMetadata } from '../../runtime/registry'
import { compileReport, reportEnv } from '../../runtime/reports'
import { callJson } from '../lib/api'
import { median } from '../lib/stats'
import type { ResultRow } from '../lib/report'
import { BENCH_USER } from '../seed-customers'
import type { BenchEnv } from './bench-env'

const label = (en: string) => ({ en })

/** The shipped customer package's version: the bench's report package depends on it. */
const CUSTOMER_VERSION = (
  JSON.parse(
    readFileSync(new URL('../../seeds/customer/manifest.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version

/** The measured report: customers by region × level, with a count, a sum and an average. */
export const BENCH_REPORT: Report = {
  id: 'benchCustomersByRegionLevel',
  label: label('Customers by region and level (bench)'),
  entity: 'customer',
  dimensions: [
    { id: 'region', field: 'region' },
    { id: 'level', field: 'level' },
  ],
  measures: [
    { id: 'customers', aggregate: 'count', label: label('Customers') },
    { id: 'employees', aggregate: 'sum', field: 'employees', label: label('Employees') },
    { id: 'credit', aggregate: 'avg', field: 'creditLimit', label: label('Average credit') },
  ],
}

/** The same figures written by hand: what a careful engineer would send for this report. */
const RAW = `select region, level, count(*) as customers, sum(employees) as employees,
  avg(credit_limit) as credit from app.customer group by region, level order by region, level`

const RUNS = 9
const FACTOR = 1.1
const SLACK_MS = 10

/** Installs a one-report package on top of the customer module unless it is published. */
async function ensureReport(env: BenchEnv): Promise<void> {
  const base = `${env.trellis!.url}/api/meta`
  try {
    await callJson(`${base}/reports/${BENCH_REPORT.id}`, { token: env.token })
    return
  } catch (err) {
    if (!/→ 404/.test((err as Error).message)) throw err
  }
  await callJson(`${base}/packages?apply=true`, {
    method: 'POST',
    token: env.token,
    body: {
      manifest: {
        id: 'bench-reports',
        version: '1.0.0',
        label: label('Bench reports'),
        dependencies: { customer: `^${CUSTOMER_VERSION}` },
      },
      reports: [BENCH_REPORT],
    },
  })
}

/** The scan, join and aggregate nodes of a plan, in order: what "the same plan" compares. */
function planShape(plan: Record<string, unknown>): string[] {
  const out: string[] = []
  const visit = (node: Record<string, unknown>) => {
    const type = String(node['Node Type'])
    if (!/^(Result|Subquery Scan|Sort|Incremental Sort|Materialize|Limit)$/.test(type)) {
      const strategy = node.Strategy ? ` ${String(node.Strategy)}` : ''
      const on = node['Relation Name'] ? ` on ${String(node['Relation Name'])}` : ''
      const index = node['Index Name'] ? ` using ${String(node['Index Name'])}` : ''
      out.push(`${type}${strategy}${on}${index}`)
    }
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child)
  }
  visit(plan)
  return out
}

/**
 * Milliseconds of `RUNS` sequential calls of each side (after one warm-up each), the sides
 * alternating call by call so that a busy moment of the machine falls on both.
 */
async function timeAlternately(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  await a()
  await b()
  const times: [number[], number[]] = [[], []]
  const timed = async (run: () => Promise<unknown>) => {
    const t0 = performance.now()
    await run()
    return performance.now() - t0
  }
  for (let i = 0; i < RUNS; i++) {
    const [first, second] = i % 2 ? [b, a] : [a, b]
    const t1 = await timed(first)
    const t2 = await timed(second)
    times[0].push(i % 2 ? t2 : t1)
    times[1].push(i % 2 ? t1 : t2)
  }
  return times
}

/**
 * Target 6: a report with two dimensions and three measures over the customers, run through
 * `GET /api/reports/{id}/run` as the bench administrator, against the hand-written group-by sent
 * through postgres.js (no HTTP): the median time within 1.1× the raw SQL's + 10 ms, and the same
 * plan (the statement Trellis compiles for the caller is explained beside the raw one).
 */
export async function reportScenario(env: BenchEnv): Promise<ResultRow[]> {
  if (!env.trellis) throw new Error('Trellis is not running')
  await ensureReport(env)
  const url = `${env.trellis.url}/api/reports/${BENCH_REPORT.id}/run`
  const [trellis, raw] = await timeAlternately(
    () => callJson(url, { token: env.token }),
    () => env.sql.unsafe(RAW),
  )
  const db = await openDb({ url: env.benchUrl, max: 1 })
  let same: boolean
  let shapes: { trellis: string[]; raw: string[] }
  try {
    const [row] = await db.query<CurrentUserRow>(
      sql`select ${currentUserColumns} from users u where u.username = ${BENCH_USER.username}`,
    )
    const ctx: Ctx = {
      db,
      user: toCurrentUser(row),
      clock: systemClock,
      log: silentLogger,
      meta: await loadPublishedMetadata(db),
    }
    const compiled = compileReport(reportEnv(ctx), ctx.meta.reports.get(BENCH_REPORT.id)!, {})
    const query = new PgDialect().sqlToQuery(compiled.statement)
    const explain = async (text: string, params: unknown[]) => {
      const [r] = await env.sql.unsafe(`explain (format json) ${text}`, params as never[])
      const json = r['QUERY PLAN'] as { Plan: Record<string, unknown> }[]
      return planShape(json[0].Plan)
    }
    shapes = { trellis: await explain(query.sql, query.params), raw: await explain(RAW, []) }
    same = JSON.stringify(shapes.trellis) === JSON.stringify(shapes.raw)
  } finally {
    await db.close()
  }
  const t = median(trellis)
  const r = median(raw)
  const limit = FACTOR * r + SLACK_MS
  env.log(
    `  report run: Trellis ${t.toFixed(1)} ms, raw SQL ${r.toFixed(1)} ms (limit ${limit.toFixed(1)} ms); plans ${same ? 'the same' : 'differ'}: ${shapes.trellis.join(' → ')}${same ? '' : ` vs ${shapes.raw.join(' → ')}`}`,
  )
  return [
    {
      target: 6,
      scenario: 'report: 2 dimensions × 3 measures over the customers',
      trellis: `${t.toFixed(1)} ms`,
      reference: `${r.toFixed(1)} ms raw SQL`,
      ratio: `${(t / r).toFixed(2)}×`,
      goal: `≤ ${FACTOR}× + ${SLACK_MS} ms, same plan`,
      p99: '',
      verdict: t <= limit && same ? 'PASS' : 'MISS',
      details: { trellisMs: trellis, rawMs: raw, plans: shapes },
    },
  ]
}
