import { compareSides, throughputRow, trellisUrl, type Side } from './compare'
import type { Scenario } from './bench-env'

const REGIONS = ['east', 'south', 'north', 'central', 'west', 'overseas']
const LEVELS = ['A', 'B', 'C']

/** A create load whose every request carries a new, unique customer. */
function creating(
  url: string,
  path: string,
  tag: string,
  owners: string[],
  token: string,
): Side['spec'] {
  return () => {
    let i = 0
    const body = () => {
      i++
      return JSON.stringify({
        name: `Bench ${tag} ${Date.now().toString(36)} ${i}`,
        phone: `+86 139${String(i).padStart(8, '0')}`,
        region: REGIONS[i % REGIONS.length],
        level: LEVELS[i % LEVELS.length],
        industry: 'retail',
        owner: owners[i % owners.length],
      })
    }
    return {
      url,
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${token}` },
      body: body(),
      setupRequest: (req) => ({ ...req, body: body() }),
    }
  }
}

/**
 * Target 3: POST /api/data/customer (Trellis: validation, defaults, auto-number, dedup check,
 * audit, outbox) against the baseline's plain insert (the target's reference) and against the
 * baseline's insert + audit + outbox in one statement (for orientation). Created rows are removed
 * at the end of the run.
 */
export const createScenario: Scenario = async (env) => {
  const owners = (await env.sql`select id from users where username like 'owner%'`).map((r) =>
    String(r.id),
  )
  if (!owners.length) throw new Error('no owner users: reseed the bench database')
  const stats = await compareSides(env, 'create', [
    {
      name: 'trellis',
      spec: creating(trellisUrl(env), '/api/data/customer', 't', owners, env.token),
    },
    {
      name: 'plain',
      spec: creating(env.baseline.url, '/api/plain/customer', 'p', owners, env.token),
    },
    {
      name: 'audited',
      spec: creating(env.baseline.url, '/api/data/customer', 'a', owners, env.token),
    },
  ])
  return [
    throughputRow({
      target: 3,
      scenario: 'create vs plain insert',
      trellis: stats.trellis,
      reference: stats.plain,
      referenceName: 'plain insert',
      minRatio: 0.6,
    }),
    throughputRow({
      target: 3,
      scenario: 'create vs insert+audit+outbox',
      trellis: stats.trellis,
      reference: stats.audited,
      referenceName: 'audited insert',
    }),
  ]
}
