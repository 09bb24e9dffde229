import { callJson } from '../lib/api'
import { compareSides, throughputRow, trellisUrl } from './compare'
import type { BenchEnv, Scenario } from './bench-env'

const BASE = '/api/data/customer?sort=-createdAt&limit=20'
const FILTER = JSON.stringify({
  and: [{ '==': [{ var: 'region' }, 'east'] }, { '==': [{ var: 'level' }, 'A'] }],
})
const DEEP_PAGE = 500

/** Follows `nextCursor` from page 1 to page `page` and answers the path of that page. */
async function deepPath(
  url: string,
  token: string,
  page: number,
): Promise<{ path: string; reached: number }> {
  let path = BASE
  for (let i = 1; i < page; i++) {
    const body = await callJson<{ nextCursor: string | null }>(`${url}${path}`, { token })
    if (!body.nextCursor) return { path, reached: i }
    path = `${BASE}&cursor=${encodeURIComponent(body.nextCursor)}`
  }
  return { path, reached: page }
}

async function listRow(
  env: BenchEnv,
  scenario: string,
  trellisPath: string,
  baselinePath: string,
  details = {},
) {
  const headers = { authorization: `Bearer ${env.token}` }
  const stats = await compareSides(env, scenario, [
    { name: 'trellis', spec: () => ({ url: trellisUrl(env), path: trellisPath, headers }) },
    { name: 'baseline', spec: () => ({ url: env.baseline.url, path: baselinePath, headers }) },
  ])
  return throughputRow({
    target: 1,
    scenario,
    trellis: stats.trellis,
    reference: stats.baseline,
    referenceName: 'baseline',
    minRatio: 0.8,
    maxP99Factor: 1.5,
    details: { trellisPath, baselinePath, ...details },
  })
}

/**
 * Target 1: the customer list newest first, page of 20 — page 1, page 1 filtered (region and
 * level), page 500 (cursor followed there first on each server), and page 1 with count=true.
 */
export const listScenario: Scenario = async (env) => {
  const filtered = `${BASE}&filter=${encodeURIComponent(FILTER)}`
  const counted = `${BASE}&count=true`
  env.log(`  following cursors to page ${DEEP_PAGE} on both servers`)
  const deepB = await deepPath(env.baseline.url, env.token, DEEP_PAGE)
  const deepT = env.trellis ? await deepPath(env.trellis.url, env.token, DEEP_PAGE) : deepB
  return [
    await listRow(env, 'list page 1', BASE, BASE),
    await listRow(env, 'list page 1, filter region+level', filtered, filtered),
    await listRow(
      env,
      `list page ${Math.min(deepT.reached, deepB.reached)} (keyset)`,
      deepT.path,
      deepB.path,
      { reached: { trellis: deepT.reached, baseline: deepB.reached } },
    ),
    await listRow(env, 'list page 1 + count=true', counted, counted),
  ]
}
