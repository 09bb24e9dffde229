import { benchToken, callJson } from '../lib/api'
import type { ResultRow } from '../lib/report'
import { BENCH_USER } from '../seed/install-modules'
import { compareSides, throughputRow, trellisUrl, type Side } from './compare'
import type { BenchEnv, Scenario } from './bench-env'

const TRELLIS_PATH = '/api/data/customer?sort=-createdAt&limit=20'
const DEMO_PASSWORD = 'demo'

/** A scoped caller: who signs in, the baseline route with their hand-written scope. */
interface Caller {
  username: string
  label: string
  baselinePath: string
}

const CALLERS: Caller[] = [
  { username: 'rep_east1', label: 'rep_east1 (own)', baselinePath: '/api/own/customer?limit=20' },
  {
    username: 'director',
    label: 'director (own + subordinates)',
    baselinePath: '/api/team/customer?limit=20',
  },
]

interface Page {
  data: { id: string; owner: string | null }[]
}

/** The ids of a first page on both servers (and whether they are equal), for the report. */
async function samePage(trellis: string, baseline: string, token: string) {
  const [t, b] = await Promise.all([
    callJson<Page>(trellis, { token }),
    callJson<Page>(baseline, { token }),
  ])
  const ids = (page: Page) => page.data.map((r) => r.id)
  const equal = ids(t).length > 0 && JSON.stringify(ids(t)) === JSON.stringify(ids(b))
  return {
    equal,
    trellis: ids(t),
    baseline: ids(b),
    owners: [...new Set(t.data.map((r) => r.owner))],
  }
}

/**
 * Checks once that every Trellis first page equals the baseline's (same ids, same order), that the
 * rep sees only their own customers and the director more than one owner's. Answers the table row.
 */
async function checkPages(
  env: BenchEnv,
  tokens: Map<string, string>,
  ids: Map<string, string>,
): Promise<ResultRow> {
  const base = trellisUrl(env)
  const checks: Record<string, unknown> = {}
  const problems: string[] = []
  for (const caller of CALLERS) {
    const token = tokens.get(caller.username)!
    const page = await samePage(
      `${base}${TRELLIS_PATH}`,
      `${env.baseline.url}${caller.baselinePath}`,
      token,
    )
    checks[caller.username] = page
    if (!page.equal) problems.push(`${caller.username}: first pages differ`)
  }
  const admin = await samePage(
    `${base}${TRELLIS_PATH}`,
    `${env.baseline.url}/api/data/customer?limit=20`,
    tokens.get(BENCH_USER.username)!,
  )
  checks.admin = admin
  if (!admin.equal) problems.push('admin: first pages differ')
  const rep = checks.rep_east1 as Awaited<ReturnType<typeof samePage>>
  if (rep.owners.some((o) => o !== ids.get('rep_east1')))
    problems.push("rep_east1's page holds customers of other owners")
  const director = checks.director as Awaited<ReturnType<typeof samePage>>
  if (director.owners.length < 2) problems.push("the director's page holds a single owner")
  env.log(`  first pages: ${problems.length ? problems.join('; ') : 'equal on both servers'}`)
  return {
    target: 1,
    scenario: 'permissions: first page = baseline (rep, director, admin)',
    trellis: problems.length ? 'differs' : 'equal',
    reference: 'baseline',
    ratio: '',
    goal: 'same ids, same order',
    p99: '',
    verdict: problems.length ? 'ERROR' : 'PASS',
    details: { problems, checks },
  }
}

/** Session tokens of the scoped callers and the admin (Trellis' login; both servers accept them). */
async function signIn(env: BenchEnv): Promise<Map<string, string>> {
  const tokens = new Map([[BENCH_USER.username, env.token]])
  for (const { username } of CALLERS) {
    const { token, via } = await benchToken(env.sql, env.trellis?.url ?? null, {
      username,
      password: DEMO_PASSWORD,
    })
    env.log(`  signed in as ${username} (${via})`)
    tokens.set(username, token)
  }
  return tokens
}

/**
 * Issue 3's permissions bench (target 1 with scopes): the customer list, page of 20 newest first,
 * as rep_east1 (own) and as the director (own + subordinates) on Trellis against the baseline's
 * hand-written WHERE (≥ 0.8× req/s, p99 ≤ 1.5×) and against Trellis' own admin list (≥ 0.9×).
 * All five sides run in one alternating series of rounds.
 */
export const permissionsScenario: Scenario = async (env) => {
  const users = await env.sql`select id, username from users
    where username in ${env.sql(CALLERS.map((c) => c.username))}`
  const ids = new Map(users.map((u) => [String(u.username), String(u.id)]))
  if (ids.size < CALLERS.length)
    throw new Error('the demo organisation is missing: reseed the bench database')
  const tokens = await signIn(env)
  const rows: ResultRow[] = []
  if (env.trellis) rows.push(await checkPages(env, tokens, ids))
  const headers = (username: string) => ({ authorization: `Bearer ${tokens.get(username)}` })
  const sides: Side[] = [
    ...CALLERS.flatMap((c): Side[] => [
      {
        name: `trellis ${c.username}`,
        spec: () => ({ url: trellisUrl(env), path: TRELLIS_PATH, headers: headers(c.username) }),
      },
      {
        name: `baseline ${c.username}`,
        spec: () => ({ url: env.baseline.url, path: c.baselinePath, headers: headers(c.username) }),
      },
    ]),
    {
      name: 'trellis admin',
      spec: () => ({
        url: trellisUrl(env),
        path: TRELLIS_PATH,
        headers: headers(BENCH_USER.username),
      }),
    },
  ]
  // compareSides drops the sides named exactly 'trellis' when Trellis is down; these are empty.
  const stats = await compareSides(
    env,
    'permissions',
    env.trellis ? sides : sides.filter((s) => s.name.startsWith('baseline')),
  )
  const admin = stats['trellis admin']
  for (const c of CALLERS) {
    const trellis = stats[`trellis ${c.username}`]
    rows.push(
      throughputRow({
        target: 1,
        scenario: `list as ${c.label} vs baseline`,
        trellis,
        reference: stats[`baseline ${c.username}`],
        referenceName: 'baseline',
        minRatio: 0.8,
        maxP99Factor: 1.5,
        details: { trellisPath: TRELLIS_PATH, baselinePath: c.baselinePath },
      }),
    )
    if (admin) {
      rows.push(
        throughputRow({
          target: 1,
          scenario: `list as ${c.label} vs Trellis admin`,
          trellis,
          reference: admin,
          referenceName: 'Trellis admin',
          minRatio: 0.9,
          details: { trellisPath: TRELLIS_PATH },
        }),
      )
    }
  }
  return rows
}
