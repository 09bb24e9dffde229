import type postgres from 'postgres'
import type { LoadSpec } from '../lib/load'
import type { Scenario } from './bench-env'
import { compareSides, fmtCpu, throughputRow, trellisUrl } from './compare'
import {
  BENCH_ENTITY,
  cleanUpTransitions,
  ensureBaselineTables,
  ensureBenchPackage,
  ensureHistory,
  growPool,
  poolIds,
  resetPool,
  submitterToken,
} from './transition-setup'

/**
 * Records per second of a run a side's pool holds at least (the hand-written side has fired
 * 1,300/s on a quiet 2-core machine); the pool grows
 * when a run fired more than 2/3 of it.
 */
const MIN_POOL_PER_SECOND = 2000

/** One side's counters: records used per run, and answers that were not 200 (pool exhausted). */
interface PoolLedger {
  runs: { used: number; seconds: number }[]
  exhausted: number
}

/**
 * One side's load: before each run its records go back to draft (version 1), the pool grows to
 * 1.5 × the most a run has fired so far (scaled to `duration`), the database checkpoints, and
 * every request fires `submit` on the next unused record with `{ version: 1, comment }`.
 */
function firing(
  url: string,
  prefix: string,
  side: string,
  token: string,
  sql: postgres.Sql,
  duration: number,
  ledger: PoolLedger,
): () => Promise<LoadSpec> {
  return async () => {
    const rate = Math.max(0, ...ledger.runs.map((r) => r.used / Math.max(r.seconds, 0.5)))
    await growPool(sql, side, Math.ceil(Math.max(MIN_POOL_PER_SECOND, 1.5 * rate) * (duration + 1)))
    await resetPool(sql, side)
    // Every run starts just after a checkpoint: the first change to each page after one writes
    // its whole image to the WAL, so a checkpoint falling inside one side's run, not the other's,
    // would charge that side for it. (Its own CPU is spent before the run's count starts.)
    await sql`checkpoint`
    const ids = await poolIds(sql, side)
    const run = { used: 0, seconds: 0 }
    ledger.runs.push(run)
    const started = Date.now()
    return {
      url,
      method: 'POST',
      path: `${prefix}/${BENCH_ENTITY}/${ids[0]}/transitions/submit`,
      headers: { authorization: `Bearer ${token}` },
      setupRequest: (req) => {
        const id = ids[run.used++ % ids.length]
        return {
          ...req,
          path: `${prefix}/${BENCH_ENTITY}/${id}/transitions/submit`,
          body: JSON.stringify({ version: 1, comment: `bench ${run.used}` }),
        }
      },
      onResponse: (status) => {
        run.seconds = (Date.now() - started) / 1000
        if (status !== 200) ledger.exhausted += run.used > ids.length ? 1 : 0
      },
    }
  }
}

/**
 * Target 5: a transition that starts an approval (guard, audit, outbox, one task for the
 * submitter's manager, the instance with the record's snapshot, the manager's notice), one fresh
 * draft record per request, against the hand-written transaction doing the same; and, for
 * orientation, against a thinner hand-written one (guard, audit, outbox, task only).
 */
export const transitionScenario: Scenario = async (env) => {
  const installed = await ensureBenchPackage(env)
  await ensureBaselineTables(env.sql)
  const token = await submitterToken(env.sql)
  await ensureHistory(env.sql)
  // Without autovacuum (CI machines run without it), the rows earlier runs deleted stay in the
  // tables and their indexes: vacuumed first, as autovacuum would in production.
  await env.sql`vacuum (analyze) app.bench_request, flow_instances, approval_tasks, notifications,
    record_shares, audit_log, outbox, bench.approval_instance, bench.approval_task,
    bench.notification`
  env.log(`  bench package ${installed}; submitter signed in (session row); approval history ready`)
  const ledgers: Record<string, PoolLedger> = {
    trellis: { runs: [], exhausted: 0 },
    baseline: { runs: [], exhausted: 0 },
    thin: { runs: [], exhausted: 0 },
  }
  // The pool serves the longest run: the warm-up may outlast a measured run.
  const duration = Math.max(env.args.duration, env.args.warmup)
  try {
    const stats = await compareSides(env, 'transition', [
      {
        name: 'trellis',
        pid: env.trellis?.pid,
        spec: firing(
          trellisUrl(env),
          '/api/data',
          'trellis',
          token,
          env.sql,
          duration,
          ledgers.trellis,
        ),
      },
      {
        name: 'baseline',
        pid: env.baseline.pid,
        spec: firing(
          env.baseline.url,
          '/api/data',
          'baseline',
          token,
          env.sql,
          duration,
          ledgers.baseline,
        ),
      },
      {
        name: 'thin',
        pid: env.baseline.pid,
        spec: firing(env.baseline.url, '/api/thin', 'thin', token, env.sql, duration, ledgers.thin),
      },
    ])
    const row = throughputRow({
      target: 5,
      scenario: 'transition + approval (guard, audit, outbox, task, snapshot, notice)',
      trellis: stats.trellis,
      reference: stats.baseline,
      referenceName: 'baseline',
      minRatio: 0.7,
      details: { pools: ledgers },
    })
    const thin = throughputRow({
      target: 5,
      scenario: 'transition, thin reference (guard, audit, outbox, task only)',
      trellis: stats.trellis,
      reference: stats.thin,
      referenceName: 'thin',
    })
    env.log(
      `  transition CPU per request: Trellis${fmtCpu(stats.trellis?.cpu)}; baseline${fmtCpu(stats.baseline.cpu)}; thin${fmtCpu(stats.thin.cpu)}`,
    )
    const exhausted = Object.values(ledgers).reduce((n, l) => n + l.exhausted, 0)
    if (exhausted) row.goal += ` (${exhausted} requests past the record pool)`
    return [row, thin]
  } finally {
    await cleanUpTransitions(env.sql)
  }
}
