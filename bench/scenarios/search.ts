import { callJson } from '../lib/api'
import { median } from '../lib/stats'
import type { ResultRow } from '../lib/report'
import { compareSides, throughputRow, trellisUrl } from './compare'
import type { BenchEnv, Scenario } from './bench-env'

/** A search text, what it is meant to show, and how many seeded customers it matches. */
interface SearchCase {
  label: string
  q: string
}

// 'motors 4242': a name fragment a handful of customers contain (the trigram index answers);
// 'wonka': the first word of 1 in 20 names, 50,000 matches to rank (the plan reads them all).
const CASES: SearchCase[] = [
  { label: 'selective', q: 'motors 4242' },
  { label: 'non-selective', q: 'wonka' },
]
const UNLOADED_REQUESTS = 15

interface SearchBody {
  data: {
    entity: string
    id: string
    title: string | null
    matched: string[]
    subtitle?: Record<string, string | null>
  }[]
  more: string[]
}

const pathOf = (q: string) => `/api/search?q=${encodeURIComponent(q)}&entities=customer`

/** Median and slowest of sequential requests, one at a time: latency without queueing. */
async function unloadedMs(url: string, token: string): Promise<{ median: number; max: number }> {
  const times: number[] = []
  for (let i = 0; i < UNLOADED_REQUESTS + 2; i++) {
    const started = performance.now()
    await callJson(url, { token })
    if (i >= 2) times.push(performance.now() - started)
  }
  const round = (n: number) => Math.round(n * 10) / 10
  return { median: round(median(times)), max: round(Math.max(...times)) }
}

/**
 * Whether both servers answer the same hits (ids, titles, matched fields, subtitles, order) and
 * `more`.
 */
async function sameHits(env: BenchEnv, path: string) {
  const [t, b] = await Promise.all([
    env.trellis ? callJson<SearchBody>(`${trellisUrl(env)}${path}`, { token: env.token }) : null,
    callJson<SearchBody>(`${env.baseline.url}${path}`, { token: env.token }),
  ])
  const equal = !!t && t.data.length > 0 && JSON.stringify(t) === JSON.stringify(b)
  return { equal, hits: b.data.length, trellis: t, baseline: b }
}

/** The trigram indexes of app.customer (the search is only fast with them). */
async function trigramIndexes(env: BenchEnv): Promise<string[]> {
  const rows = await env.sql`select indexname from pg_indexes
    where schemaname = 'app' and tablename = 'customer' and indexdef like '%gin_trgm_ops%'`
  return rows.map((r) => String(r.indexname)).sort()
}

async function searchRow(env: BenchEnv, c: SearchCase, matching: number): Promise<ResultRow> {
  const path = pathOf(c.q)
  const headers = { authorization: `Bearer ${env.token}` }
  const unloaded = {
    trellis: env.trellis ? await unloadedMs(`${trellisUrl(env)}${path}`, env.token) : null,
    baseline: await unloadedMs(`${env.baseline.url}${path}`, env.token),
  }
  const show = (l: { median: number; max: number } | null) =>
    l ? `median ${l.median} ms, max ${l.max} ms` : 'not running'
  env.log(
    `  '${c.q}' (${matching.toLocaleString('en')} matching customers), one request at a time: ` +
      `Trellis ${show(unloaded.trellis)}; baseline ${show(unloaded.baseline)}`,
  )
  const scenario = `search ${c.label} '${c.q}'`
  const stats = await compareSides(env, scenario, [
    { name: 'trellis', spec: () => ({ url: trellisUrl(env), path, headers }) },
    { name: 'baseline', spec: () => ({ url: env.baseline.url, path, headers }) },
  ])
  for (const [side, s] of Object.entries(stats))
    env.log(`  ${scenario} · ${side} median of rounds: ${Math.round(s.rps)}/s, p99 ${s.p99} ms`)
  return throughputRow({
    target: 1,
    scenario,
    trellis: stats.trellis,
    reference: stats.baseline,
    referenceName: 'baseline',
    minRatio: 0.8,
    maxP99Factor: 1.5,
    details: { path, matching, unloaded },
  })
}

/**
 * Free-text search over 1M customers as the admin: Trellis' `GET /api/search?entities=customer`
 * against the baseline's hand-written ILIKE query (same ranking and limit, same indexes), for a
 * selective and a non-selective text. Checks once that both answer the same hits.
 */
export const searchScenario: Scenario = async (env) => {
  const indexes = await trigramIndexes(env)
  env.log(`  trigram indexes on app.customer: ${indexes.join(', ') || 'none (searches scan)'}`)
  const rows: ResultRow[] = []
  const checks: Record<string, unknown> = {}
  const problems: string[] = []
  for (const c of CASES) {
    const [{ n }] = await env.sql`select count(*)::int as n from app.customer
      where name ilike ${`%${c.q}%`} or code ilike ${`%${c.q}%`} or phone ilike ${`%${c.q}%`}`
    const same = await sameHits(env, pathOf(c.q))
    checks[c.label] = same
    if (!same.equal) problems.push(`'${c.q}': hits differ`)
    rows.push(await searchRow(env, c, Number(n)))
  }
  env.log(`  hits: ${problems.length ? problems.join('; ') : 'equal on both servers'}`)
  rows.push({
    target: 1,
    scenario: 'search: hits = baseline (selective, non-selective)',
    trellis: problems.length ? 'differs' : 'equal',
    reference: 'baseline',
    ratio: '',
    goal: 'same hits, same order',
    p99: '',
    verdict: problems.length ? 'ERROR' : 'PASS',
    details: { problems, checks, indexes },
  })
  return rows
}
