import type postgres from 'postgres'
import { callJson } from '../lib/api'
import { openSql } from '../lib/database'
import type { ResultRow } from '../lib/report'
import { percentile } from '../lib/stats'
import type { BenchEnv } from './bench-env'

const LIMIT_S = 2
/** A read slower than this while the apply runs counts as blocked (idle reads take ~1 ms). */
const BLOCKED_MS = 200

/** Five nullable fields of common types, named uniquely per run. */
function newFields(tag: string) {
  const label = (en: string) => ({ en })
  return [
    { name: `bench${tag}Text`, type: 'text', label: label('Bench text') },
    { name: `bench${tag}Count`, type: 'integer', label: label('Bench count') },
    { name: `bench${tag}Due`, type: 'date', label: label('Bench due') },
    { name: `bench${tag}Flag`, type: 'boolean', label: label('Bench flag') },
    {
      name: `bench${tag}Kind`,
      type: 'select',
      label: label('Bench kind'),
      options: [{ value: 'x', label: label('X') }],
    },
  ]
}

async function relfilenode(sql: postgres.Sql): Promise<number> {
  const [row] = await sql`select relfilenode from pg_class where oid = 'app.customer'::regclass`
  return Number(row.relfilenode)
}

/** Reads page 1 of the customers in a loop on its own connection, timing each read. */
function readerLoop(url: string) {
  const sql = openSql(url, 1)
  const samples: { at: number; ms: number }[] = []
  let running = true
  const done = (async () => {
    while (running) {
      const t = performance.now()
      await sql`select id, name, region from app.customer order by created_at desc, id desc limit 20`
      samples.push({ at: t, ms: performance.now() - t })
    }
    await sql.end()
  })()
  return { samples, stop: async () => ((running = false), await done) }
}

/**
 * Target 11: add five nullable fields to the customer entity through the API (PUT the edited
 * definition, POST /api/meta/plan, POST /api/meta/apply) while two connections keep reading the
 * table. Checks time, that the table was not rewritten (relfilenode unchanged) and the readers'
 * worst latency during the apply. The fields are removed again afterwards.
 */
export async function metadataApplyScenario(env: BenchEnv): Promise<ResultRow[]> {
  if (!env.trellis) throw new Error('Trellis is not running')
  const base = `${env.trellis.url}/api/meta`
  const token = env.token
  const original = await callJson<Record<string, unknown>>(`${base}/entities/customer`, { token })
  const edited = {
    ...original,
    fields: [...(original.fields as unknown[]), ...newFields(Date.now().toString(36))],
  }
  const nodeBefore = await relfilenode(env.sql)
  const readers = [readerLoop(env.benchUrl), readerLoop(env.benchUrl)]
  await new Promise((r) => setTimeout(r, 500))
  const t0 = performance.now()
  await callJson(`${base}/entities/customer`, { method: 'PUT', token, body: edited })
  const plan = await callJson<{ steps?: { kind: string; description: string }[] }>(`${base}/plan`, {
    method: 'POST',
    token,
  })
  const tPlan = performance.now()
  await callJson(`${base}/apply`, { method: 'POST', token, body: {} })
  const t1 = performance.now()
  await new Promise((r) => setTimeout(r, 300))
  await Promise.all(readers.map((r) => r.stop()))
  const nodeAfter = await relfilenode(env.sql)
  const columns = await env.sql`select count(*)::int as n from information_schema.columns
    where table_schema = 'app' and table_name = 'customer' and column_name like 'bench%'`
  try {
    await callJson(`${base}/entities/customer`, { method: 'PUT', token, body: original })
    await callJson(`${base}/apply`, { method: 'POST', token, body: { confirmDestructive: true } })
  } catch (err) {
    env.log(`  could not remove the bench fields again: ${(err as Error).message}`)
  }
  const all = readers.flatMap((r) => r.samples)
  const during = all.filter((s) => s.at + s.ms >= t0 && s.at <= t1).map((s) => s.ms)
  const before = all.filter((s) => s.at + s.ms < t0).map((s) => s.ms)
  const maxDuring = during.length ? Math.max(...during) : Number.NaN
  const seconds = (t1 - t0) / 1000
  const rewritten = nodeBefore !== nodeAfter
  const added = Number(columns[0].n)
  const ok = seconds <= LIMIT_S && !rewritten && maxDuring < BLOCKED_MS && added === 5
  return [
    {
      target: 11,
      scenario: `plan + apply +5 fields (${added} columns added)`,
      trellis: `${seconds.toFixed(2)} s`,
      reference: `readers max ${maxDuring.toFixed(0)} ms`,
      ratio: rewritten ? 'REWRITTEN' : 'no rewrite',
      goal: `≤ ${LIMIT_S} s, no rewrite, reads < ${BLOCKED_MS} ms`,
      p99: `readers p99 before ${percentile(before, 99).toFixed(1)} ms`,
      verdict: ok ? 'PASS' : 'MISS',
      details: {
        seconds,
        planSeconds: (tPlan - t0) / 1000,
        applySeconds: (t1 - tPlan) / 1000,
        relfilenode: { before: nodeBefore, after: nodeAfter },
        readsDuring: during.length,
        readerMaxMs: maxDuring,
        readerP99BeforeMs: percentile(before, 99),
        planSteps: plan.steps?.map((s) => `${s.kind}: ${s.description}`),
      },
    },
  ]
}
