import type postgres from 'postgres'
import { compareSides, throughputRow, trellisUrl, type Side } from './compare'
import type { Scenario } from './bench-env'

/** One run's bookkeeping: versions before, versions returned by each 200, conflicts, others. */
export interface Ledger {
  before: Map<string, number>
  acceptedVersions: Map<string, number[]>
  conflicts: number
  other: Record<string, number>
}

/** What a run's counters and the table's final versions say. */
export interface LockCheck {
  accepted: number
  conflicts: number
  other: Record<string, number>
  /** Two 200s that returned the same version of a record: one overwrote the other. */
  lostUpdates: { id: string; version: number }[]
  /** Final version below before + accepted: an accepted write did not stick. */
  missing: { id: string; expected: number; actual: number }[]
  /** Writes that committed but whose answer the load tool cut off when the run ended. */
  unobserved: number
}

async function versions(sql: postgres.Sql, ids: string[]): Promise<Map<string, number>> {
  const rows = await sql`select id, version from app.customer where id = any(${ids}::uuid[])`
  return new Map(rows.map((r) => [String(r.id), Number(r.version)]))
}

/**
 * Checks a run against the versions after it: every accepted write returned a distinct version,
 * and each record advanced by at least its accepted writes (more only by answers cut off at the
 * end of the run, which `unobserved` counts).
 */
export function checkLedger(ledger: Ledger, after: Map<string, number>): LockCheck {
  const check: LockCheck = {
    accepted: 0,
    conflicts: ledger.conflicts,
    other: ledger.other,
    lostUpdates: [],
    missing: [],
    unobserved: 0,
  }
  for (const [id, before] of ledger.before) {
    const returned = ledger.acceptedVersions.get(id) ?? []
    check.accepted += returned.length
    const seen = new Set<number>()
    for (const v of returned) {
      if (seen.has(v)) check.lostUpdates.push({ id, version: v })
      seen.add(v)
    }
    const expected = before + returned.length
    const actual = after.get(id) ?? Number.NaN
    if (!(actual >= expected)) check.missing.push({ id, expected, actual })
    else check.unobserved += actual - expected
  }
  return check
}

/** Whether a check shows the lock held: no lost or missing write, only 200 and 409 answers. */
export function lockHeld(check: LockCheck, connections: number): boolean {
  return (
    check.lostUpdates.length === 0 &&
    check.missing.length === 0 &&
    Object.keys(check.other).length === 0 &&
    check.unobserved <= connections
  )
}

/**
 * One side's load: the clients PATCH 10 customers round robin with If-Match set to the newest
 * version seen (from 200 bodies and 409 `currentVersion`), so writes race and many are stale.
 * Each run's ledger is pushed to `ledgers` once its versions-before are read.
 */
function patching(
  url: string,
  ids: string[],
  token: string,
  sql: postgres.Sql,
  ledgers: Ledger[],
): Side['spec'] {
  return async () => {
    const ledger: Ledger = {
      before: await versions(sql, ids),
      acceptedVersions: new Map(),
      conflicts: 0,
      other: {},
    }
    const known = new Map(ledger.before)
    ledgers.push(ledger)
    let i = 0
    return {
      url,
      method: 'PATCH',
      path: `/api/data/customer/${ids[0]}`,
      headers: { authorization: `Bearer ${token}` },
      setupRequest: (req, context) => {
        const id = ids[i++ % ids.length]
        context.id = id
        return {
          ...req,
          path: `/api/data/customer/${id}`,
          headers: { ...req.headers, 'if-match': `"${known.get(id) ?? 1}"` },
          body: JSON.stringify({ notes: `bench update ${i}` }),
        }
      },
      onResponse: (status, body, context) => {
        const id = String(context.id)
        let parsed: { version?: number; error?: { currentVersion?: number } } = {}
        try {
          parsed = JSON.parse(body) as typeof parsed
        } catch {
          // counted as another answer below
        }
        const seen =
          status === 200
            ? parsed.version
            : status === 409
              ? parsed.error?.currentVersion
              : undefined
        if (typeof seen === 'number') known.set(id, Math.max(known.get(id) ?? 0, seen))
        if (status === 200 && typeof parsed.version === 'number') {
          const list = ledger.acceptedVersions.get(id) ?? []
          list.push(parsed.version)
          ledger.acceptedVersions.set(id, list)
        } else if (status === 409) ledger.conflicts++
        else ledger.other[status] = (ledger.other[status] ?? 0) + 1
      },
    }
  }
}

/**
 * Target 4: PATCH with optimistic locking, 32 clients on 10 ids per server (other ids for each
 * server). Every answer must be 200 or 409 (accepted + 409 = requests) and no update may be lost.
 */
export const updateScenario: Scenario = async (env) => {
  const rows = await env.sql`select id from app.customer order by id limit 20`
  const ids = rows.map((r) => String(r.id))
  const ledgers: Record<string, Ledger[]> = { trellis: [], baseline: [] }
  const stats = await compareSides(env, 'update', [
    {
      name: 'trellis',
      spec: patching(trellisUrl(env), ids.slice(0, 10), env.token, env.sql, ledgers.trellis),
      expected: [200, 409],
    },
    {
      name: 'baseline',
      spec: patching(env.baseline.url, ids.slice(10), env.token, env.sql, ledgers.baseline),
      expected: [200, 409],
    },
  ])
  // A side's runs are sequential: the next run's versions-before are this run's versions-after.
  const checks: Record<string, LockCheck[]> = {}
  for (const [side, list] of Object.entries(ledgers)) {
    checks[side] = []
    for (let k = 0; k < list.length; k++) {
      const after =
        k + 1 < list.length
          ? list[k + 1].before
          : await versions(env.sql, [...list[k].before.keys()])
      checks[side].push(checkLedger(list[k], after))
    }
  }
  const held = (side: string) => checks[side].every((c) => lockHeld(c, env.args.connections))
  const sum = (side: string) =>
    checks[side].reduce(
      (a, c) => ({ ok: a.ok + c.accepted, conflicts: a.conflicts + c.conflicts }),
      { ok: 0, conflicts: 0 },
    )
  const row = throughputRow({
    target: 4,
    scenario: 'update If-Match, 32 clients / 10 ids',
    trellis: stats.trellis,
    reference: stats.baseline,
    referenceName: 'baseline',
    minRatio: 0.75,
    details: { checks, totals: { trellis: sum('trellis'), baseline: sum('baseline') } },
  })
  const t = sum('trellis')
  row.scenario += ` [T: ${t.ok} ok + ${t.conflicts} 409]`
  if (held('trellis') && held('baseline')) row.goal += ', no lost update ✓'
  else if (row.verdict !== 'ERROR') {
    row.verdict = 'MISS'
    row.goal += `, LOST/ODD UPDATES (${held('trellis') ? 'baseline' : 'Trellis'})`
  }
  return [row]
}
